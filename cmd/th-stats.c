/*
 * th-stats: insights and quotas, as flat NDJSON records.
 *
 *	th-stats id ...                    {id, views, likes, replies, reposts, quotes, shares}
 *	th-stats me [--since t] [--until t]
 *	                                   {date, views} a day, then the totals
 *	th-stats --quota                   {quota, used, total, left, frees_at}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "cli.h"
#include "json.h"
#include "out.h"
#include "store.h"

enum { OPT_QUOTA = TH_OPT_VERB, OPT_SINCE, OPT_UNTIL };

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "quota",	no_argument,		NULL, OPT_QUOTA },
	{ "since",	required_argument,	NULL, OPT_SINCE },
	{ "until",	required_argument,	NULL, OPT_UNTIL },
	{ NULL, 0, NULL, 0 }
};

static long long since, until;

static void
usage(int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f, "usage: th-stats [-v] [--jq filter] id ...\n"
	    "       th-stats [-v] [--since time] [--until time] me\n"
	    "       th-stats [-v] --quota\n");
	th_exit(status);
}

static char *
iso(long long t, char *buf, size_t size)
{
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S+0000", gmtime(&(time_t){ (time_t)t }));
	return buf;
}

static jv
firstvalue(jv metric)
{
	jv v = jv_object_get(jv_copy(metric), jv_string("total_value"));

	if (jv_get_kind(v) == JV_KIND_OBJECT)
		return jv_object_get(v, jv_string("value"));
	jv_free(v);
	v = jv_object_get(jv_copy(metric), jv_string("values"));
	if (jv_get_kind(v) == JV_KIND_ARRAY && jv_array_length(jv_copy(v)) > 0)
		return jv_object_get(jv_array_get(v, 0), jv_string("value"));
	jv_free(v);
	return jv_null();
}

static int account(void);

static int
post(const char *item, jv rec, void *arg)
{
	struct th_api_res res;
	char path[64], *id = item ? strdup(item) : th_jv_idstr(rec, "id"), *name;
	jv data, o;
	int rc;

	(void)arg;
	if (id != NULL && strcmp(id, "me") == 0) {
		free(id);
		return account();
	}
	if (id == NULL || !th_isid(id)) {
		rc = th_msg(TH_EDATA, "'%s': not a post id", id ? id : "(a record without id)");
		free(id);
		return rc;
	}
	snprintf(path, sizeof(path), "%s/insights", id);
	if (th_api_call("GET", path, jv_object_set(jv_object(), jv_string("metric"),
	    jv_string("views,likes,replies,reposts,quotes,shares")), &res) != 0) {
		rc = th_api_report(&res, id);
		th_api_res_free(&res);
		free(id);
		return rc;
	}
	o = jv_object_set(jv_object(), jv_string("id"), jv_string(id));
	free(id);
	data = jv_object_get(jv_copy(res.body), jv_string("data"));
	th_api_res_free(&res);
	jv_array_foreach(data, i, m) {
		if ((name = th_jv_strdup(m, "name")) != NULL)
			o = jv_object_set(o, jv_string(name), firstvalue(m));
		free(name);
		jv_free(m);
	}
	jv_free(data);
	return th_out_emit(o);
}

static int
account(void)
{
	struct th_api_res res;
	char buf[32], day[16], *name;
	long long t;
	jv p, data, total, vals;
	int rc;

	p = jv_object_set(jv_object(), jv_string("metric"), jv_string(
	    "views,likes,replies,reposts,quotes,clicks,followers_count"));
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
	data = jv_object_get(jv_copy(res.body), jv_string("data"));
	th_api_res_free(&res);
	total = jv_object();
	if (since > 0)
		total = jv_object_set(total, jv_string("since"), jv_string(iso(since,
		    buf, sizeof(buf))));
	if (until > 0)
		total = jv_object_set(total, jv_string("until"), jv_string(iso(until,
		    buf, sizeof(buf))));
	rc = 0;
	jv_array_foreach(data, i, m) {
		name = th_jv_strdup(m, "name");
		vals = jv_object_get(jv_copy(m), jv_string("values"));
		if (name != NULL && jv_get_kind(vals) == JV_KIND_ARRAY &&
		    strcmp(name, "followers_count") != 0) {
			/* a time series: one record a day */
			jv_array_foreach(vals, k, v) {
				t = th_jv_time(v, "end_time");
				if (t > 0)
					strftime(day, sizeof(day), "%Y-%m-%d",
					    gmtime(&(time_t){ (time_t)(t - 86400) }));
				if (rc == 0)
					rc = th_out_emit(jv_object_set(jv_object_set(
					    jv_object(), jv_string("date"),
					    t > 0 ? jv_string(day) : jv_null()),
					    jv_string(name), jv_object_get(jv_copy(v),
					    jv_string("value"))));
				jv_free(v);
			}
		} else if (name != NULL) {
			jv links = jv_object_get(jv_copy(m), jv_string("link_total_values"));
			if (jv_get_kind(links) == JV_KIND_ARRAY) {
				double sum = 0;
				jv_array_foreach(links, k, l) {
					jv n = jv_object_get(l, jv_string("value"));
					if (jv_get_kind(n) == JV_KIND_NUMBER)
						sum += jv_number_value(n);
					jv_free(n);
				}
				total = jv_object_set(total, jv_string(name), jv_number(sum));
			} else
				total = jv_object_set(total, jv_string(name), firstvalue(m));
			jv_free(links);
		}
		jv_free(vals);
		free(name);
		jv_free(m);
	}
	jv_free(data);
	if (rc != 0) {
		jv_free(total);
		return rc;
	}
	return th_out_emit(total);
}

static int
quota(void)
{
	char uid[32];
	static const struct { const char *name, *usage, *config, *edge; } q[] = {
		{ "posts", "quota_usage", "config", "me/threads" },
		{ "replies", "reply_quota_usage", "reply_config", "me/replies" },
		{ "deletes", "delete_quota_usage", "delete_config", NULL },
	};
	struct th_api_res res;
	char buf[32];
	long long t;
	size_t i;
	int rc;
	jv d, u, c, o;

	if (th_api_limits("quota_usage,config,reply_quota_usage,reply_config,"
	    "delete_quota_usage,delete_config", &d, &res) != 0) {
		rc = th_api_report(&res, "publishing limits");
		th_api_res_free(&res);
		return rc;
	}
	for (i = 0, rc = 0; i < sizeof(q) / sizeof(q[0]) && rc == 0; i++) {
		u = jv_object_get(jv_copy(d), jv_string(q[i].usage));
		c = jv_object_get(jv_object_get(jv_copy(d), jv_string(q[i].config)),
		    jv_string("quota_total"));
		o = jv_object_set(jv_object(), jv_string("quota"), jv_string(q[i].name));
		o = jv_object_set(o, jv_string("used"), jv_copy(u));
		o = jv_object_set(o, jv_string("total"), jv_copy(c));
		if (jv_get_kind(u) == JV_KIND_NUMBER && jv_get_kind(c) == JV_KIND_NUMBER) {
			double left = jv_number_value(c) - jv_number_value(u);
			o = jv_object_set(o, jv_string("left"), jv_number(left > 0 ? left : 0));
			t = 0;
			if (jv_number_value(u) > 0)
				t = q[i].edge ? th_api_freeat(q[i].edge, (long)th_jv_num(u)) :
				    th_api_uid(uid, sizeof(uid)) == 0 ?
				    th_ledger_freeat(uid, "deleted") : 0;
			o = jv_object_set(o, jv_string("frees_at"), t > 0 ?
			    jv_string(iso(t, buf, sizeof(buf))) : jv_null());
		}
		jv_free(u);
		jv_free(c);
		rc = th_out_emit(o);
	}
	jv_free(d);
	return rc;
}

int
main(int argc, char **argv)
{
	int c, showquota = 0;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_QUOTA:
			showquota = 1;
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
			if ((c == OPT_SINCE ? (since = th_time_arg(optarg, time(NULL))) :
			    (until = th_time_arg(optarg, time(NULL)))) < 0)
				th_die(TH_EUSAGE, "'%s': a date, a time, epoch seconds, "
				    "or an age (3d)", optarg);
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
		if (argc > 0)
			usage(TH_EUSAGE);
		th_exit(quota());
	}
	th_exit(th_cli_items(argc, argv, post, NULL));
}
