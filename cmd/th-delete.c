/*
 * th-delete: delete your posts.
 *
 *	th-delete [-n] id ...          ids or permalinks, or the same / records
 *	                               with "id" on stdin
 *	th-delete [-n] --last N        the N newest posts th-post published
 *
 * The delete quota (100 a day) is read first: when it is spent nothing is
 * sent (exit 75). Every deletion goes into the ledger, so --last never
 * picks the same post twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "cli.h"
#include "json.h"
#include "ledger.h"
#include "out.h"
#include "permalink.h"
#include "quota.h"

enum { OPT_LAST = TH_OPT_VERB };

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "dry-run",	no_argument,		NULL, 'n' },
	{ "last",	required_argument,	NULL, OPT_LAST },
	{ NULL, 0, NULL, 0 }
};

static char uid[32];
static char **ids;
static int nids;

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-delete [-nv] [--jq filter] id ...\n"
	    "       th-delete [-nv] --last count\n",
	    "  -n, --dry-run           print what would be deleted, delete nothing\n"
	    "      --last COUNT        delete the COUNT newest posts th-post published\n");
}

static void
addid(const char *id)
{
	int i;

	for (i = 0; i < nids; i++)
		if (strcmp(ids[i], id) == 0)
			return;
	if ((ids = reallocarray(ids, (size_t)nids + 1, sizeof(*ids))) == NULL ||
	    (ids[nids] = strdup(id)) == NULL)
		th_die(TH_EIO, "out of memory");
	nids++;
}

static int
gather(const char *item, jv rec, void *arg)
{
	char id[32];
	int rc;

	(void)arg;
	if ((rc = th_permalink_item(item, rec, "post", id, sizeof(id))) == 0)
		addid(id);
	return rc;
}

/* The n newest posts th-post published for this account, not deleted. */
static int
last(long n)
{
	jv recs = th_ledger_find(uid, NULL), r, gone = jv_object();
	char *ev, *id;
	int i;

	for (i = jv_array_length(jv_copy(recs)) - 1; i >= 0; i--) {
		r = jv_array_get(jv_copy(recs), i);
		ev = th_jv_strdup(r, "event");
		id = th_jv_idstr(r, "id");
		if (ev != NULL && id != NULL) {
			if (strcmp(ev, "deleted") == 0)
				gone = jv_object_set(gone, jv_string(id), jv_true());
			else if (strcmp(ev, "published") == 0 && nids < n) {
				jv g = jv_object_get(jv_copy(gone), jv_string(id));
				if (jv_get_kind(g) != JV_KIND_TRUE)
					addid(id);
				jv_free(g);
			}
		}
		free(ev);
		free(id);
		jv_free(r);
	}
	jv_free(recs);
	jv_free(gone);
	if (nids == 0)
		return th_msg(TH_EFAIL, "the ledger knows of no post th-post published "
		    "for this account that is not deleted");
	if (nids < n)
		th_msg(0, "only %d post%s in the ledger", nids, nids == 1 ? "" : "s");
	return 0;
}

/* Room for how many deletions: 0..n, or -1 when it cannot be read. */
static long
room(int *rc)
{
	struct th_api_res res;
	jv d;
	long used, total;
	int rc2;

	*rc = 0;
	if (th_quota_read(1u << TH_QUOTA_DELETES, &d, &res) != 0) {
		if (res.status == TH_EAUTH)
			*rc = th_api_report(&res, "cannot read the delete quota");
		else
			th_msg(0, "warning: cannot read the delete quota: %s", res.why);
		th_api_res_free(&res);
		return -1;
	}
	rc2 = th_quota_get(d, TH_QUOTA_DELETES, &used, &total);
	jv_free(d);
	if (rc2 != 0)
		return -1;
	return used >= total ? 0 : total - used;
}

static int
del(const char *id)
{
	struct th_api_res res;
	int rc;
	jv o;

	rc = th_api_call("DELETE", id, jv_object(), &res);
	if (rc != 0 && th_api_lost(&res)) {
		/* the answer was lost: is the post still there? */
		th_api_res_free(&res);
		if (th_api_call("GET", id, jv_object_set(jv_object(), jv_string("fields"),
		    jv_string("id")), &res) == 0) {
			th_api_res_free(&res);
			rc = th_api_call("DELETE", id, jv_object(), &res);
		} else if (res.status == TH_EFAIL) {
			th_api_res_free(&res);
			res.body = jv_object_set(jv_object_set(jv_object(),
			    jv_string("success"), jv_true()), jv_string("deleted_id"),
			    jv_string(id));
			rc = 0;
		}
	}
	if (rc != 0) {
		rc = th_api_report(&res, id);
		th_api_res_free(&res);
		return rc;
	}
	o = jv_object_set(jv_copy(res.body), jv_string("id"), jv_string(id));
	th_api_res_free(&res);
	th_ledger_append(jv_object_set(jv_object_set(jv_object_set(jv_object(),
	    jv_string("event"), jv_string("deleted")), jv_string("uid"),
	    jv_string(uid)), jv_string("id"), jv_string(id)));
	return th_out_emit(o);
}

/* Room for how many deletions, as room() says; exits when the quota is
 * spent (75: nothing is sent) or cannot be read for want of a token. */
static long
roomleft(void)
{
	char when[64];
	long left;
	int rc;

	if ((left = room(&rc)) == 0 || rc != 0) {
		if (rc != 0)
			th_exit(rc);
		th_quota_when(th_ledger_freeat(uid, "deleted"), when, sizeof(when));
		th_die(TH_ETEMP, "the delete quota is spent (100 a day); %s", when);
	}
	return left;
}

/* Delete the ids (with dry, print them), at most left (-1: no limit
 * known); a failure that the next would share stops it. */
static int
delall(long left, int dry)
{
	int i, rc, st = 0;

	for (i = 0; i < nids; i++) {
		if (left >= 0 && i >= left) {
			st = th_status_merge(st, th_msg(TH_ETEMP, "the delete quota is "
			    "spent: %d of %d not deleted", nids - i, nids));
			break;
		}
		if (dry)
			rc = th_out_emit(jv_object_set(jv_object_set(jv_object(),
			    jv_string("id"), jv_string(ids[i])), jv_string("dry_run"),
			    jv_true()));
		else
			rc = del(ids[i]);
		st = th_status_merge(st, rc);
		if (rc == TH_EIO || rc == TH_EAUTH || rc == TH_ETEMP)
			break;
	}
	return st;
}

/* The options: -n into *dry, --last into *n; returns optind. */
static int
options(int argc, char **argv, long *n, int *dry)
{
	const char *errstr;
	int c;

	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "n", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			*dry = 1;
			break;
		case OPT_LAST:
			*n = (long)strtonum(optarg, 1, 100, &errstr);
			if (errstr != NULL)
				th_die(TH_EUSAGE, "--last '%s': %s (1..100)", optarg, errstr);
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	return optind;
}

int
main(int argc, char **argv)
{
	long n = -1;
	int i, k, rc, dry = 0, st;

	th_cli_init(argc, argv, usage);
	k = options(argc, argv, &n, &dry);
	argc -= k;
	argv += k;
	th_cli_ready();
	if (n > 0 && argc > 0)
		usage(TH_EUSAGE);
	/* every id first: a bad one and nothing is deleted */
	if (n < 0 && (rc = th_cli_items(argc, argv, gather, NULL)) != 0)
		th_exit(rc);
	if (n < 0 && nids == 0)
		th_exit(0);	/* th_cli_items said: nothing to do */
	if ((rc = th_api_uid(uid, sizeof(uid))) != 0)
		th_exit(rc);
	if (n > 0 && (rc = last(n)) != 0)
		th_exit(rc);
	if (nids == 0)
		th_exit(0);
	st = delall(roomleft(), dry);
	for (i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	th_exit(st);
}
