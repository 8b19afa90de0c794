/* quota: Threads' rolling 24-hour limits on posts, replies and deletes. */
#ifndef TH_QUOTA_H
#define TH_QUOTA_H
#include <stddef.h>
#include <jv.h>

#include "api.h"

enum th_quota {
	TH_QUOTA_POSTS,		/* 250 a day: quota_usage, config */
	TH_QUOTA_REPLIES,	/* 1000: reply_*, need threads_manage_replies */
	TH_QUOTA_DELETES,	/* 100: delete_*, need threads_delete */
	TH_QUOTA_LOCATIONS,	/* 500 location searches: location_search_*,
				   need threads_location_tagging */
	TH_QUOTA_N
};
#define TH_QUOTA_ALL	((1u << TH_QUOTA_N) - 1)

/* "posts", "replies", "deletes", "location_searches". */
const char *th_quota_name(enum th_quota k);
/*
 * Ask GET me/threads_publishing_limit for the quotas in mask (bits
 * 1 << TH_QUOTA_*), and only for their fields: some need a permission of
 * their own. *limits is the answer's first record (owned). Returns 0, or
 * the status with res to report and free.
 */
int th_quota_read(unsigned mask, jv *limits, struct th_api_res *res);
/* Quota k of a th_quota_read() record (borrowed), which may lack it or
 * hold something else: 0 with *used and *total, or -1 (both -1). */
int th_quota_get(jv limits, enum th_quota k, long *used, long *total);
/*
 * When quota k, with used of it used, frees a slot: epoch seconds, or 0
 * when unknown. Posts and replies: the used-th newest of the account's
 * last 24 h (posts made in the app are not counted, so this errs late,
 * never early). Deletes: the ledger's, for uid. Location searches: 0,
 * th keeps no record of them.
 */
long long th_quota_freeat(enum th_quota k, long used, const char *uid);
/* "it frees up at 2026-12-01 10:00 UTC", or "... within 24 h" when t
 * is 0, into buf. */
void th_quota_when(long long t, char *buf, size_t size);
#endif
