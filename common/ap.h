/* ap: fediverse accounts read as ActivityPub, or through Mastodon's API. */
#ifndef TH_AP_H
#define TH_AP_H
#include <stddef.h>
#include <jv.h>

#include "ap-record.h"	/* th_ap_record(), th_ap_status() */
#include "ap-step.h"	/* enum th_ap_step */
#include "api.h"

/*
 * One fediverse source, "@user@host" or an actor's https URL, read one
 * document at a time: WebFinger, the actor, its outbox, the outbox's
 * pages. When the actor or the outbox is refused to an anonymous read
 * (401, 403, 404: the server wants signed fetches) and the source is
 * @user@host, Mastodon's public API is tried instead:
 * /api/v1/accounts/lookup, then /api/v1/accounts/ID/statuses.
 * What was resolved is remembered for the life of the process and for a
 * day in $XDG_STATE_HOME/th/fedi, so that follow mode and cron runs do
 * not look the account up again every time; an entry that stops
 * working is dropped and the account looked up again.
 *
 * A server speaks for itself alone: a record's id is an https URL on the
 * host that served it (any other post is skipped, with a warning), and
 * its username is user@host, a host WebFinger was asked or answered at.
 * An outbox item whose object is only a URL (GoToSocial) is fetched, at
 * most a few hundred a source, when the merge needs the posts after it.
 * A page URL read before, or a few pages in a row that go no further
 * back, end the source with a warning.
 */
struct th_ap;

/* pagesize: how many posts to ask for where the server takes a limit;
 * fresh: look the account up even if it is known. */
struct th_ap *th_ap_new(const char *source, int pagesize, int fresh);
/* The next document to fetch and its Accept header, or NULL at the end.
 * Borrowed, valid until the next th_ap_answer(). */
const char *th_ap_url(struct th_ap *a, const char **accept);
/* The answer to th_ap_url()'s request (res borrowed, res->status 0).
 * On TH_AP_PAGE, *posts is an array of records (owned), newest first. */
enum th_ap_step th_ap_answer(struct th_ap *a, const struct th_api_res *res,
    jv *posts, char *why, size_t whysize);
/* The exit status of the last TH_AP_FAIL: 69 for a server error (5xx,
 * after the retries), 75 for a rate limit (429), 1 for the rest. */
int th_ap_exit(const struct th_ap *a);
void th_ap_free(struct th_ap *a);
/* Save what was resolved, if anything changed, and free it: registered
 * with th_atexit() when the cache is first read (fedicache.h). */
void th_ap_cleanup(void);

#endif
