/*
 * th-repost: repost posts by id or permalink (operands, or the same /
 * records with "id" on stdin); prints each repost as the API has it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cli.h"
#include "json.h"
#include "ledger.h"
#include "out.h"
#include "permalink.h"

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static char uid[32];

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-repost [-v] [--jq filter] id ...\n",
	    "");
}

static int
repost(const char *item, jv rec, void *arg)
{
	struct th_api_res res;
	char path[64], id[32], *rid;
	jv o;
	int rc;

	(void)arg;
	/* who reposts, for the ledger: asked with the first item, so that
	 * an empty stdin asks nothing */
	if (uid[0] == '\0' && (rc = th_api_uid(uid, sizeof(uid))) != 0)
		return rc;
	if ((rc = th_permalink_item(item, rec, "post", id, sizeof(id))) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s/repost", id);
	/* a write: sent once, never again blindly */
	if (th_api_call("POST", path, jv_object(), &res) != 0) {
		if (th_api_lost(&res))
			snprintf(res.why + strlen(res.why), sizeof(res.why) -
			    strlen(res.why), " (the repost may have gone through: "
			    "check before trying again)");
		rc = th_api_report(&res, id);
		th_api_res_free(&res);
		return rc;
	}
	rid = th_jv_idstr(res.body, "id");
	th_api_res_free(&res);
	if (rid == NULL)
		return th_msg(TH_EUNAVAIL, "%s: the answer has no repost id", path);
	th_ledger_append(jv_object_set(jv_object_set(jv_object_set(jv_object_set(
	    jv_object(), jv_string("event"), jv_string("reposted")), jv_string("uid"),
	    jv_string(uid)), jv_string("id"), jv_string(rid)), jv_string("of"),
	    jv_string(id)));
	if (th_api_call("GET", rid, jv_object_set(jv_object(), jv_string("fields"),
	    jv_string("id,media_product_type,media_type,permalink,username,"
	    "timestamp,shortcode,reposted_post")), &res) == 0)
		o = jv_copy(res.body);
	else
		o = jv_object_set(jv_object_set(jv_object(), jv_string("id"),
		    jv_string(rid)), jv_string("reposted_post"), jv_object_set(
		    jv_object(), jv_string("id"), jv_string(id)));
	th_api_res_free(&res);
	free(rid);
	return th_out_emit(o);
}

int
main(int argc, char **argv)
{
	int c;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1)
		if (!th_cli_common(c, optarg))
			usage(TH_EUSAGE);
	argc -= optind;
	argv += optind;
	th_cli_ready();
	th_exit(th_cli_items(argc, argv, repost, NULL));
}
