/*
 * quota: the publishing limits Threads counts over a rolling 24 hours.
 * th-post checks them before the first container, th-delete before the
 * first deletion, th-stats --quota shows them; each says when a slot
 * frees up, which the API does not tell.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "json.h"
#include "ledger.h"
#include "msg.h"
#include "quota.h"

static const struct {
	const char	*name, *usage, *config;
	const char	*edge;		/* where its posts are listed */
} kinds[TH_QUOTA_N] = {
	{ "posts", "quota_usage", "config", "me/threads" },
	{ "replies", "reply_quota_usage", "reply_config", "me/replies" },
	{ "deletes", "delete_quota_usage", "delete_config", NULL },
	{ "location_searches", "location_search_quota_usage",
	    "location_search_config", NULL },
};

const char *
th_quota_name(enum th_quota k)
{
	return kinds[k].name;
}

int
th_quota_read(unsigned mask, jv *limits, struct th_api_res *res)
{
	char fields[256] = "";
	int k;
	jv d;

	for (k = 0; k < TH_QUOTA_N; k++)
		if (mask & (1u << k))
			snprintf(fields + strlen(fields), sizeof(fields) - strlen(fields),
			    "%s%s,%s", fields[0] ? "," : "", kinds[k].usage,
			    kinds[k].config);
	*limits = jv_null();
	if (th_api_call("GET", "me/threads_publishing_limit", jv_object_set(
	    jv_object(), jv_string("fields"), jv_string(fields)), res) != 0) {
		/* a token from before location tagging may not ask its
		 * fields: the other quotas, that one unknown (null) */
		if ((mask & 1u << TH_QUOTA_LOCATIONS) && mask != 1u <<
		    TH_QUOTA_LOCATIONS && (res->status == TH_EAUTH ||
		    res->status == TH_EFAIL)) {
			th_api_res_free(res);
			return th_quota_read(mask & ~(1u << TH_QUOTA_LOCATIONS),
			    limits, res);
		}
		return res->status;
	}
	/* jv_array_get asserts on anything but an array: "data" may be
	 * missing or of another kind */
	d = th_jv_get(res->body, "data");
	if (jv_get_kind(d) == JV_KIND_ARRAY)
		*limits = jv_array_get(d, 0);
	else {
		jv_free(d);
		*limits = jv_invalid();
	}
	th_api_res_free(res);
	if (jv_get_kind(*limits) != JV_KIND_OBJECT) {
		jv_free(*limits);
		*limits = jv_null();
		snprintf(res->why, sizeof(res->why), "the publishing limit has no data");
		return res->status = TH_EUNAVAIL;
	}
	return 0;
}

int
th_quota_get(jv limits, enum th_quota k, long *used, long *total)
{
	jv u = th_jv_get(limits, kinds[k].usage), c = th_jv_get(limits,
	    kinds[k].config), t = th_jv_get(c, "quota_total");
	int ok = jv_get_kind(u) == JV_KIND_NUMBER && jv_get_kind(t) == JV_KIND_NUMBER;

	*used = ok ? (long)th_jv_num(u) : -1;
	*total = ok ? (long)th_jv_num(t) : -1;
	jv_free(u);
	jv_free(c);
	jv_free(t);
	return ok ? 0 : -1;
}

/* The used-th newest post of the last 24 h on edge, plus 24 h. */
static long long
fromposts(const char *edge, long used)
{
	struct th_pager pg;
	struct th_api_res res;
	char sbuf[32];
	long long t, at = 0;
	long n = 0;
	jv item;
	int rc = 0;

	snprintf(sbuf, sizeof(sbuf), "%lld", (long long)time(NULL) - 86400);
	th_pager_init(&pg, edge, jv_object_set(jv_object_set(jv_object_set(
	    jv_object(), jv_string("fields"), jv_string("id,timestamp")),
	    jv_string("since"), jv_string(sbuf)), jv_string("limit"),
	    jv_string("100")));
	while (n < used && (rc = th_pager_next(&pg, &item, &res)) == 1) {
		if ((t = th_jv_time(item, "timestamp")) > 0) {
			at = t;
			n++;
		}
		jv_free(item);
	}
	if (n < used && rc == -1)
		th_api_res_free(&res);
	th_pager_free(&pg);
	return at ? at + 86400 : 0;
}

long long
th_quota_freeat(enum th_quota k, long used, const char *uid)
{
	if (used <= 0 || k == TH_QUOTA_LOCATIONS)
		return 0;
	if (kinds[k].edge != NULL)
		return fromposts(kinds[k].edge, used);
	/* deletions are not posts: the ledger knows those th made */
	return uid != NULL ? th_ledger_freeat(uid, "deleted") : 0;
}

void
th_quota_when(long long t, char *buf, size_t size)
{
	char when[32];

	if (t > 0) {
		th_time_human(t, when);
		snprintf(buf, size, "it frees up at %s", when);
	} else
		snprintf(buf, size, "it frees up within 24 h");
}
