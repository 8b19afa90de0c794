/*
 * answer: insights, quota and profile answers made into th's records.
 * libjq asserts (and th aborts) when jv_object_get is given anything but
 * an object, jv_array_length anything but an array, jv_number_value
 * anything but a number: every step here asks the kind first. The
 * fuzz target tests/fuzz/fuzz-answer.c holds the readers to that.
 */
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "quota.h"
#include "json.h"

/* obj.key, obj borrowed; jv_invalid() when obj is not an object or has
 * no such member. */
static jv
member(jv obj, const char *key)
{
	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return jv_invalid();
	return jv_object_get(jv_copy(obj), jv_string(key));
}

/* v (consumed) when it is a number, else null. */
static jv
number(jv v)
{
	if (jv_get_kind(v) == JV_KIND_NUMBER)
		return v;
	jv_free(v);
	return jv_null();
}

/* Is name one of the comma-separated list? */
static int
listed(const char *list, const char *name)
{
	size_t n = strlen(name), k;

	for (;;) {
		k = strcspn(list, ",");
		if (k == n && n > 0 && strncmp(list, name, n) == 0)
			return 1;
		if (list[k] == '\0')
			return 0;
		list += k + 1;
	}
}

/* o (consumed) with each name of the comma-separated list set to null. */
static jv
nulls(jv o, const char *list)
{
	size_t k;

	for (;;) {
		if ((k = strcspn(list, ",")) > 0)
			o = jv_object_set(o, jv_string_sized(list, (int)k), jv_null());
		if (list[k] == '\0')
			return o;
		list += k + 1;
	}
}

/* t in UTC, a date (what comes before the T) or the API's form of a
 * time; null when no date has it (a year past int). */
static jv
utc(long long t, int date)
{
	char buf[32];

	if (th_time_format(t, buf) == 0)
		return jv_null();
	return jv_string_sized(buf, date ? (int)strcspn(buf, "T") :
	    (int)strlen(buf));
}

/* One metric's value (metric borrowed): total_value.value, else the
 * first of values; a number or null. */
static jv
value(jv metric)
{
	jv t = member(metric, "total_value"), vs, first, r;

	if (jv_get_kind(t) == JV_KIND_OBJECT) {
		r = member(t, "value");
		jv_free(t);
		return number(r);
	}
	jv_free(t);
	vs = member(metric, "values");
	if (jv_get_kind(vs) == JV_KIND_ARRAY && jv_array_length(jv_copy(vs)) > 0) {
		first = jv_array_get(vs, 0);
		r = member(first, "value");
		jv_free(first);
		return number(r);
	}
	jv_free(vs);
	return jv_null();
}

jv
th_answer_insights(jv body, const char *id, const char *metrics)
{
	jv o = nulls(jv_object_set(jv_object(), jv_string("id"), jv_string(id)),
	    metrics), data = member(body, "data");
	char *name;

	if (jv_get_kind(data) == JV_KIND_ARRAY)
		jv_array_foreach(data, i, m) {
			/* only what was asked for: a name such as "id" would
			 * shadow th's own field */
			if ((name = th_jv_strdup(m, "name")) != NULL &&
			    listed(metrics, name))
				o = jv_object_set(o, jv_string(name), value(m));
			free(name);
			jv_free(m);
		}
	jv_free(data);
	return o;
}

jv
th_answer_time(long long t)
{
	return utc(t, 0);
}

/* One {date, name} record of a time series entry (v borrowed): the day
 * that ends at end_time. */
static jv
day(jv v, const char *name)
{
	long long t = th_jv_time(v, "end_time");

	return jv_object_set(jv_object_set(jv_object(), jv_string("date"),
	    t > 0 ? utc(t - 86400, 1) : jv_null()), jv_string(name),
	    number(member(v, "value")));
}

jv
th_answer_account(jv body, const char *metrics, long long since,
    long long until)
{
	jv out = jv_array(), total = jv_object(), data = member(body, "data"),
	    vals, links, n;
	double sum;
	char *name;

	if (since > 0)
		total = jv_object_set(total, jv_string("since"), th_answer_time(since));
	if (until > 0)
		total = jv_object_set(total, jv_string("until"), th_answer_time(until));
	total = nulls(total, metrics);
	if (jv_get_kind(data) == JV_KIND_ARRAY)
		jv_array_foreach(data, i, m) {
			if ((name = th_jv_strdup(m, "name")) == NULL ||
			    !listed(metrics, name)) {
				free(name);
				jv_free(m);
				continue;
			}
			vals = member(m, "values");
			links = member(m, "link_total_values");
			if (jv_get_kind(vals) == JV_KIND_ARRAY &&
			    strcmp(name, "followers_count") != 0) {
				/* a time series: one record a day */
				total = jv_object_delete(total, jv_string(name));
				jv_array_foreach(vals, k, v) {
					out = jv_array_append(out, day(v, name));
					jv_free(v);
				}
			} else if (jv_get_kind(links) == JV_KIND_ARRAY) {
				sum = 0;
				jv_array_foreach(links, k, l) {
					n = member(l, "value");
					if (jv_get_kind(n) == JV_KIND_NUMBER)
						sum += jv_number_value(n);
					jv_free(n);
					jv_free(l);
				}
				total = jv_object_set(total, jv_string(name), jv_number(sum));
			} else
				total = jv_object_set(total, jv_string(name), value(m));
			jv_free(vals);
			jv_free(links);
			free(name);
			jv_free(m);
		}
	jv_free(data);
	return jv_array_append(out, total);
}

jv
th_answer_demographics(jv body, const char *breakdown)
{
	jv out = jv_array(), data = member(body, "data"), tv, bds, res, dv, d;

	if (jv_get_kind(data) != JV_KIND_ARRAY) {
		jv_free(data);
		return out;
	}
	jv_array_foreach(data, i, m) {
		tv = member(m, "total_value");
		bds = member(tv, "breakdowns");
		if (jv_get_kind(bds) == JV_KIND_ARRAY)
			jv_array_foreach(bds, j, b) {
				res = member(b, "results");
				if (jv_get_kind(res) == JV_KIND_ARRAY)
					jv_array_foreach(res, k, r) {
						dv = member(r, "dimension_values");
						d = jv_get_kind(dv) == JV_KIND_ARRAY &&
						    jv_array_length(jv_copy(dv)) > 0 ?
						    jv_array_get(jv_copy(dv), 0) : jv_null();
						if (jv_get_kind(d) != JV_KIND_STRING) {
							jv_free(d);
							d = jv_null();
						}
						out = jv_array_append(out, jv_object_set(
						    jv_object_set(jv_object_set(jv_object(),
						    jv_string("breakdown"), jv_string(breakdown)),
						    jv_string("dimension"), d),
						    jv_string("followers"), number(member(r, "value"))));
						jv_free(dv);
						jv_free(r);
					}
				jv_free(res);
				jv_free(b);
			}
		jv_free(bds);
		jv_free(tv);
		jv_free(m);
	}
	jv_free(data);
	return out;
}

jv
th_answer_quotas(jv limits)
{
	jv out = jv_array(), o;
	long used, total;
	int k;

	for (k = 0; k < TH_QUOTA_N; k++) {
		o = jv_object_set(jv_object(), jv_string("quota"),
		    jv_string(th_quota_name(k)));
		if (th_quota_get(limits, k, &used, &total) == 0) {
			o = jv_object_set(o, jv_string("used"), jv_number((double)used));
			o = jv_object_set(o, jv_string("total"), jv_number((double)total));
			o = jv_object_set(o, jv_string("left"),
			    jv_number(total > used ? (double)total - (double)used : 0));
		} else {
			o = jv_object_set(o, jv_string("used"), jv_null());
			o = jv_object_set(o, jv_string("total"), jv_null());
			o = jv_object_set(o, jv_string("left"), jv_null());
		}
		out = jv_array_append(out, o);
	}
	return out;
}

/* o (consumed) with member from also under to, unless to is there. */
static jv
alias(jv o, const char *from, const char *to)
{
	jv v;

	if (jv_object_has(jv_copy(o), jv_string(to)))
		return o;
	v = jv_object_get(jv_copy(o), jv_string(from));
	if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_NULL)
		return jv_object_set(o, jv_string(to), v);
	jv_free(v);
	return o;
}

jv
th_answer_profile(jv body, int me)
{
	jv o;

	if (jv_get_kind(body) != JV_KIND_OBJECT)
		return jv_null();
	o = jv_copy(body);
	if (me) {
		o = alias(o, "threads_biography", "biography");
		o = alias(o, "threads_profile_picture_url", "profile_picture_url");
	}
	return o;
}
