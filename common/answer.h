/*
 * answer: the API's answers about insights, quotas and profiles read into
 * th's flat records. The API leaves a field out rather than send null,
 * and nothing in an answer is trusted to be of the kind its docs say:
 * each reader takes any jv (borrowed), never asserts, and a field it
 * could not read is null in the record.
 */
#ifndef TH_ANSWER_H
#define TH_ANSWER_H
#include <jv.h>

/* A post's insights answer as {"id", and each of the comma-separated
 * metrics asked for}: a number, or null. Owned. */
jv th_answer_insights(jv body, const char *id, const char *metrics);
/*
 * The account's insights answer as an array (owned): a {"date", metric}
 * record a day for each time series among the metrics asked for, then
 * one record of the others (link clicks summed), with "since" and "until"
 * when they are not 0. A date or a value that cannot be read is null.
 */
jv th_answer_account(jv body, const char *metrics, long long since,
    long long until);
/*
 * A follower_demographics answer for one breakdown (country, city, age
 * or gender) as an array (owned) of {"breakdown", "dimension",
 * "followers"}, one a result of total_value.breakdowns[].results[], in
 * the API's order: the breakdown asked for, the result's first
 * dimension_values (a string, or null), its value (a number, or null).
 * Empty when the answer has none.
 */
jv th_answer_demographics(jv body, const char *breakdown);
/* The publishing limits (th_api_limits()'s record) as an array (owned)
 * of {"quota", "used", "total", "left"} for posts, replies, deletes and
 * location searches:
 * numbers, or null when the record does not give both used and total. */
jv th_answer_quotas(jv limits);
/* A profile answer: the API's record, with /me's (me set) long field
 * names also under the short ones (biography, profile_picture_url) when
 * those are not there. jv_null() when body is not an object. Owned. */
jv th_answer_profile(jv body, int me);
/* t (epoch seconds) as the API writes a time, 2024-07-01T12:00:00+0000;
 * null when no date has it. */
jv th_answer_time(long long t);
#endif
