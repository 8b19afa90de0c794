/*
 * th-whois: profiles, as NDJSON.
 *
 *	th-whois [me | @user ...]
 *
 * me comes from /me, other users from profile lookup (public profiles
 * the app may discover). The two endpoints name two fields differently
 * (threads_biography / biography, threads_profile_picture_url /
 * profile_picture_url); th-whois keeps the API's fields and adds the
 * short names to /me records, so .biography works for both (never over
 * a field the API sends itself; common/answer.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "answer.h"
#include "api.h"
#include "cli.h"
#include "json.h"
#include "list.h"
#include "out.h"

#define ME_FIELDS "id,username,name,threads_profile_picture_url," \
	"threads_biography,is_verified"

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static char **done;
static int ndone;

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-whois [-v] [--jq filter] [me | @user ...]\n",
	    "");
}

/* Each profile once a run: th-timeline | th-whois asks once per author. */
static int
again(const char *who)
{
	char **n;
	int i;

	for (i = 0; i < ndone; i++)
		if (strcmp(done[i], who) == 0)
			return 1;
	if ((n = reallocarray(done, (size_t)ndone + 1, sizeof(*n))) == NULL ||
	    (n[ndone] = strdup(who)) == NULL)
		th_die(TH_EIO, "out of memory");
	done = n;
	ndone++;
	return 0;
}

/* Is user the token's owner? Asked of /me once. */
static int
isme(const char *user)
{
	static char me[64];
	static int asked;
	struct th_api_res res;
	char *u;

	if (!asked) {
		asked = 1;
		if (th_api_call("GET", "me", jv_object_set(jv_object(),
		    jv_string("fields"), jv_string("username")), &res) == 0 &&
		    (u = th_jv_strdup(res.body, "username")) != NULL) {
			strlcpy(me, u, sizeof(me));
			free(u);
		}
		th_api_res_free(&res);
	}
	return me[0] != '\0' && strcasecmp(me, user) == 0;
}

static int
whois(const char *item, jv rec, void *arg)
{
	struct th_api_res res;
	char src[TH_SRC_MAX], why[256], *u = NULL;
	int rc, k;
	jv o;

	(void)arg;
	if (item == NULL) {	/* a record: a profile, or a post's author */
		if ((u = th_jv_strdup(rec, "username")) == NULL)
			return th_msg(TH_EDATA, "a record without \"username\"");
		item = u;
	}
	k = th_source(item, 1, src, why, sizeof(why));
	free(u);
	if (k != TH_SRC_ME && k != TH_SRC_USER)
		return th_msg(TH_EDATA, "%s", k == TH_SRC_BAD ? why :
		    "th-whois takes me or @user");
	if (again(src))
		return 0;
	if (k == TH_SRC_ME)
		rc = th_api_call("GET", "me", jv_object_set(jv_object(),
		    jv_string("fields"), jv_string(ME_FIELDS)), &res);
	else
		rc = th_api_call("GET", "profile_lookup", jv_object_set(jv_object(),
		    jv_string("username"), jv_string(src + 1)), &res);
	if (rc == TH_EFAIL && k == TH_SRC_USER && isme(src + 1)) {
		/* profile lookup does not find the token's own (often small)
		 * account: /me does */
		th_api_res_free(&res);
		return whois("me", jv_null(), arg);
	}
	if (rc != 0) {
		/* th_api_reason() says "no such user" for profile lookup */
		rc = th_api_report(&res, src);
		th_api_res_free(&res);
		return rc;
	}
	o = th_answer_profile(res.body, k == TH_SRC_ME);
	th_api_res_free(&res);
	if (jv_get_kind(o) != JV_KIND_OBJECT) {
		jv_free(o);
		return th_msg(TH_EUNAVAIL, "%s: the answer is not a profile", src);
	}
	return th_out_emit(o);
}

int
main(int argc, char **argv)
{
	int c, rc, i;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1)
		if (!th_cli_common(c, optarg))
			usage(TH_EUSAGE);
	argc -= optind;
	argv += optind;
	th_cli_ready();
	rc = th_cli_items_or("me", argc, argv, whois, NULL);
	for (i = 0; i < ndone; i++)
		free(done[i]);
	free(done);
	th_exit(rc);
}
