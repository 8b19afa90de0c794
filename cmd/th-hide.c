/*
 * th-hide: hide (or with -u unhide) replies to your posts, named by id
 * or permalink.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cli.h"
#include "json.h"
#include "out.h"
#include "permalink.h"

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "unhide",	no_argument,	NULL, 'u' },
	{ NULL, 0, NULL, 0 }
};

static int unhide;

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-hide [-uv] [--jq filter] reply-id ...\n",
	    "  -u, --unhide            unhide: show the replies again\n");
}

static int
hide(const char *item, jv rec, void *arg)
{
	struct th_api_res res;
	char path[64], id[32];
	int rc;

	(void)arg;
	if ((rc = th_permalink_item(item, rec, "reply", id, sizeof(id))) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s/manage_reply", id);
	/* hiding is idempotent: a lost answer may be asked again */
	if ((rc = th_api_call_again("POST", path, jv_object_set(jv_object(),
	    jv_string("hide"), jv_string(unhide ? "false" : "true")), &res)) != 0) {
		rc = th_api_report(&res, id);
		th_api_res_free(&res);
		return rc;
	}
	th_api_res_free(&res);
	return th_out_emit(jv_object_set(jv_object_set(jv_object(), jv_string("id"),
	    jv_string(id)), jv_string("hidden"), jv_bool(!unhide)));
}

int
main(int argc, char **argv)
{
	int c;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "u", longopts, NULL)) != -1) {
		if (c == 'u')
			unhide = 1;
		else if (!th_cli_common(c, optarg))
			usage(TH_EUSAGE);
	}
	argc -= optind;
	argv += optind;
	th_cli_ready();
	th_exit(th_cli_items(argc, argv, hide, NULL));
}
