/* fuzz-answer: insights, publishing-limit and profile answers to records,
 * checked against the promises answer.h makes: whatever the answer, no
 * assertion, and records of the promised shape whose fields are numbers
 * or null. */
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "answer.h"
#include "json.h"
#include "fuzz.h"

#define POST	"views,likes,replies,reposts,quotes,shares"
#define ACCOUNT	"views,likes,replies,reposts,quotes,clicks,followers_count"

/* Is o.key (o borrowed) a number or null? */
static int
numornull(jv o, const char *key)
{
	jv v = jv_object_get(jv_copy(o), jv_string(key));
	int k = jv_get_kind(v);

	jv_free(v);
	return k == JV_KIND_NUMBER || k == JV_KIND_NULL;
}

/* r (consumed) must dump: a jv_invalid() stored in it would abort here. */
static void
dump(jv r)
{
	free(th_json_dump(r));
}

/* limits borrowed */
/* r (owned) is an array of at least min objects, or the run aborts; r back. */
static jv
objects(jv r, int min)
{
	if (jv_get_kind(r) != JV_KIND_ARRAY || jv_array_length(jv_copy(r)) < min)
		abort();
	jv_array_foreach(r, i, rec) {
		if (jv_get_kind(rec) != JV_KIND_OBJECT)
			abort();
		jv_free(rec);
	}
	return r;
}

static void
quotas(jv limits)
{
	jv r = th_answer_quotas(limits);

	/* posts, replies, deletes, location searches */
	if (jv_get_kind(r) != JV_KIND_ARRAY || jv_array_length(jv_copy(r)) != 4)
		abort();
	jv_array_foreach(r, i, q) {
		if (jv_get_kind(q) != JV_KIND_OBJECT || !numornull(q, "used") ||
		    !numornull(q, "total") || !numornull(q, "left"))
			abort();
		jv_free(q);
	}
	dump(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jv body = th_json_parse((const char *)data, size), r, d;
	long long t = size % 3 == 0 ? 0 : size % 3 == 1 ? 1720000000 : 253402300800000LL;

	if (!jv_is_valid(body)) {
		jv_free(body);
		return 0;
	}
	r = th_answer_insights(body, "1", POST);
	if (jv_get_kind(r) != JV_KIND_OBJECT || !numornull(r, "views") ||
	    !numornull(r, "shares") || jv_object_length(jv_copy(r)) != 7)
		abort();
	dump(r);

	dump(objects(th_answer_account(body, ACCOUNT, t, t), 1));
	dump(objects(th_answer_demographics(body, "age"), 0));

	/* the quota reader gets th_quota_read()'s record, data[0]; and
	 * anything else */
	quotas(body);
	d = jv_get_kind(body) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(body), jv_string("data")) : jv_invalid();
	if (jv_get_kind(d) == JV_KIND_ARRAY && jv_array_length(jv_copy(d)) > 0) {
		r = jv_array_get(jv_copy(d), 0);
		quotas(r);
		jv_free(r);
	}
	jv_free(d);

	r = th_answer_profile(body, (int)(size & 1));
	if (jv_get_kind(r) != JV_KIND_NULL && jv_get_kind(r) != JV_KIND_OBJECT)
		abort();
	dump(r);

	dump(th_answer_time(t));
	jv_free(body);
	return 0;
}
