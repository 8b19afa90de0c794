/*
 * th-stats: insights and quotas, as flat NDJSON records.
 *
 *	th-stats id|permalink ...          {id, views, likes, replies, reposts, quotes, shares}
 *	th-stats me [--since t] [--until t]
 *	                                   {date, views} a day, then the totals
 *	th-stats --quota                   {quota, used, total, left, frees_at}
 *	th-stats --demographics age,...    {breakdown, dimension, followers}
 *
 * The answers are read by common/answer.c: a field the API left out, or
 * sent as something else, is null in the record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "api.h"
#include "cli.h"
#include "json.h"
#include "out.h"
#include "permalink.h"
#include "quota.h"
#include "timeline.h"

enum { OPT_QUOTA = TH_OPT_VERB, OPT_SINCE, OPT_UNTIL, OPT_DEMOGRAPHICS };

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "quota",	no_argument,		NULL, OPT_QUOTA },
	{ "since",	required_argument,	NULL, OPT_SINCE },
	{ "until",	required_argument,	NULL, OPT_UNTIL },
	{ "demographics", required_argument,	NULL, OPT_DEMOGRAPHICS },
	{ NULL, 0, NULL, 0 }
};

static long long since, until;
#define INSIGHTS_EPOCH	1712991600LL	/* the first day user insights have */

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-stats [-v] [--jq filter] id ...\n"
	    "       th-stats [-v] [--since time] [--until time] me\n"
	    "       th-stats [-v] --quota\n"
	    "       th-stats [-v] --demographics country,city,age,gender\n",
	    "      --quota             the 24-hour publishing quotas and what is left\n"
	    "      --since TIME        me: insights since TIME (2026-11-01, 1700000000, 7d)\n"
	    "      --until TIME        me: insights until TIME (same forms as --since)\n"
	    "      --demographics LIST your followers by country, city, age, gender\n");
}

#define POST_METRICS	"views,likes,replies,reposts,quotes,shares"
#define ACCOUNT_METRICS	"views,likes,replies,reposts,quotes,clicks,followers_count"

static int account(void);

/* Print each record of recs (consumed); a failed write ends it. */
static int
emitall(jv recs)
{
	int rc = 0;

	jv_array_foreach(recs, i, r) {
		if (rc == 0)
			rc = th_out_emit(r);
		else
			jv_free(r);
	}
	jv_free(recs);
	return rc;
}

static int
post(const char *item, jv rec, void *arg)
{
	struct th_api_res res;
	char path[64], id[32];
	jv o;
	int rc;

	(void)arg;
	if (item != NULL && strcmp(item, "me") == 0)
		return account();
	if ((rc = th_permalink_item(item, rec, "post", id, sizeof(id))) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s/insights", id);
	if (th_api_call("GET", path, jv_object_set(jv_object(), jv_string("metric"),
	    jv_string(POST_METRICS)), &res) != 0) {
		rc = th_api_report(&res, id);
		th_api_res_free(&res);
		return rc;
	}
	o = th_answer_insights(res.body, id, POST_METRICS);
	th_api_res_free(&res);
	return th_out_emit(o);
}

static int
account(void)
{
	struct th_api_res res;
	char buf[32];
	jv p, recs;
	int rc;

	p = jv_object_set(jv_object(), jv_string("metric"), jv_string(ACCOUNT_METRICS));
	/* the API refuses a window that starts before its insights do */
	if (since > 0 && since < INSIGHTS_EPOCH) {
		th_msg(0, "--since: insights begin on 2024-04-13; from there");
		since = INSIGHTS_EPOCH;
	}
	if (since > 0) {
		snprintf(buf, sizeof(buf), "%lld", since);
		p = jv_object_set(p, jv_string("since"), jv_string(buf));
	}
	if (until > 0) {
		snprintf(buf, sizeof(buf), "%lld", until);
		p = jv_object_set(p, jv_string("until"), jv_string(buf));
	}
	if (th_api_call("GET", "me/threads_insights", p, &res) != 0) {
		rc = th_api_report(&res, "account insights");
		th_api_res_free(&res);
		return rc;
	}
	recs = th_answer_account(res.body, ACCOUNT_METRICS, since, until);
	th_api_res_free(&res);
	return emitall(recs);
}

/* The breakdowns the API has for follower_demographics, one a request. */
static const char *const breakdowns[] = { "country", "city", "age", "gender", NULL };

/* Check --demographics' comma-separated list before any request: 64
 * for a breakdown the API does not have. */
static void
checkdemo(const char *list)
{
	const char *const *b;
	size_t n;

	for (;;) {
		n = strcspn(list, ",");
		for (b = breakdowns; *b != NULL; b++)
			if (strlen(*b) == n && strncmp(list, *b, n) == 0)
				break;
		if (*b == NULL)
			th_die(TH_EUSAGE, "--demographics '%.*s': country, city, age "
			    "or gender", (int)n, list);
		if (list[n] == '\0')
			return;
		list += n + 1;
	}
}

/*
 * Follower demographics, a request for each breakdown asked (the API
 * takes exactly one at a time), in the order of the list; no since or
 * until: the API has none for this metric.
 */
static int
demographics(const char *list)
{
	struct th_api_res res;
	char b[16];
	size_t n;
	int rc = 0, r;
	jv recs;

	for (; rc == 0; list += n + 1) {
		n = strcspn(list, ",");
		snprintf(b, sizeof(b), "%.*s", (int)n, list);
		if (th_api_call("GET", "me/threads_insights", jv_object_set(
		    jv_object_set(jv_object(), jv_string("metric"),
		    jv_string("follower_demographics")), jv_string("breakdown"),
		    jv_string(b)), &res) != 0) {
			r = th_api_report(&res, "follower demographics");
			th_api_res_free(&res);
			return r;
		}
		recs = th_answer_demographics(res.body, b);
		th_api_res_free(&res);
		/* the API has them for 100 followers or more */
		if (jv_array_length(jv_copy(recs)) == 0)
			th_msg(0, "no follower demographics by %s: the API gives "
			    "them for 100 followers or more", b);
		rc = emitall(recs);
		if (list[n] == '\0')
			break;
	}
	return rc;
}

static int
quota(void)
{
	struct th_api_res res;
	char uid[32];
	const char *who;
	long long t;
	long used;
	int rc;
	jv d, recs, out, u;

	if (th_quota_read(TH_QUOTA_ALL, &d, &res) != 0) {
		rc = th_api_report(&res, "publishing limits");
		th_api_res_free(&res);
		return rc;
	}
	recs = th_answer_quotas(d);
	jv_free(d);
	out = jv_array();
	jv_array_foreach(recs, k, r) {
		u = th_jv_get(r, "used");
		used = jv_get_kind(u) == JV_KIND_NUMBER ? (long)th_jv_num(u) : 0;
		jv_free(u);
		/* the ledger counts deletions by the account's user id */
		who = k == TH_QUOTA_DELETES && used > 0 &&
		    th_api_uid(uid, sizeof(uid)) == 0 ? uid : NULL;
		t = th_quota_freeat(k, used, who);
		out = jv_array_append(out, jv_object_set(r, jv_string("frees_at"),
		    t > 0 ? th_answer_time(t) : jv_null()));
	}
	jv_free(recs);
	return emitall(out);
}

int
main(int argc, char **argv)
{
	int c, showquota = 0;
	const char *demo = NULL;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_QUOTA:
			showquota = 1;
			break;
		case OPT_SINCE:
			since = th_tl_when(optarg, "--since");
			break;
		case OPT_UNTIL:
			until = th_tl_when(optarg, "--until");
			break;
		case OPT_DEMOGRAPHICS:
			checkdemo(optarg);
			demo = optarg;
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	th_cli_ready();
	if (showquota) {
		if (argc > 0 || demo != NULL)
			usage(TH_EUSAGE);
		th_exit(quota());
	}
	if (demo != NULL) {
		if (argc > 0 || since > 0 || until > 0)
			th_die(TH_EUSAGE, "--demographics takes no operand, "
			    "--since or --until");
		th_exit(demographics(demo));
	}
	th_exit(th_cli_items(argc, argv, post, NULL));
}
