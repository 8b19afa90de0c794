/*
 * th-approve: approve (or with -i ignore) the replies a post of yours
 * holds for approval, named by id or permalink, or as the records
 * th-timeline pending:ID prints:
 *
 *	th-timeline --new mod pending:ID | grep -v spam | th-approve
 *
 * Approving publishes a reply; ignoring leaves it unseen, and an ignored
 * reply can still be approved later. th-hide hides replies once they
 * are out.
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
	{ "ignore",	no_argument,	NULL, 'i' },
	{ NULL, 0, NULL, 0 }
};

static int ignore;

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-approve [-iv] [--jq filter] reply-id ...\n",
	    "  -i, --ignore            ignore the replies: keep them unpublished\n");
}

static int
approve(const char *item, jv rec, void *arg)
{
	struct th_api_res res;
	char path[64], id[32];
	int rc;

	(void)arg;
	if ((rc = th_permalink_item(item, rec, "reply", id, sizeof(id))) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s/manage_pending_reply", id);
	/* an answer lost on the way is asked again: the second approval
	 * of a reply leaves it as the first did */
	if ((rc = th_api_call_again("POST", path, jv_object_set(jv_object(),
	    jv_string("approve"), jv_string(ignore ? "false" : "true")),
	    &res)) != 0) {
		rc = th_api_report(&res, id);
		th_api_res_free(&res);
		return rc;
	}
	th_api_res_free(&res);
	return th_out_emit(jv_object_set(jv_object_set(jv_object(), jv_string("id"),
	    jv_string(id)), jv_string("approved"), jv_bool(!ignore)));
}

int
main(int argc, char **argv)
{
	int c;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "i", longopts, NULL)) != -1) {
		if (c == 'i')
			ignore = 1;
		else if (!th_cli_common(c, optarg))
			usage(TH_EUSAGE);
	}
	argc -= optind;
	argv += optind;
	th_cli_ready();
	th_exit(th_cli_items(argc, argv, approve, NULL));
}
