/* ap: fediverse accounts read as ActivityPub, or through Mastodon's API. */
#ifndef TH_AP_H
#define TH_AP_H
#include <stddef.h>
#include <jv.h>

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

enum th_ap_step {
	TH_AP_MORE,	/* fetch th_ap_url() again before any posts */
	TH_AP_PAGE,	/* *posts holds a page; th_ap_url() NULL: the last */
	TH_AP_FAIL,	/* why says why, for a "SOURCE: skipped: why" */
};
/* On TH_AP_MORE and TH_AP_PAGE, a why that is not empty is a warning,
 * for a "SOURCE: why" (posts skipped, paging stopped). */

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
/* Save what was resolved, if anything changed, and free it (th_exit). */
void th_ap_cleanup(void);

/*
 * An outbox item (activity or object, borrowed) as a th post record:
 * Create of a Note, Article, Page or Question, the object itself, or an
 * Announce (a boost: "media_type":"REPOST_FACADE"). username is the
 * account's user@host. The date is published, else the Create's, else
 * updated. jv_null() for anything that is not a post, has no id or no
 * date, or is a Create whose object is only a URL (the source fetches
 * it). The id is not checked here: the source checks it against the
 * host that served the item.
 */
jv th_ap_record(jv item, const char *username);
/* A Mastodon API status (borrowed) as the same record; host completes
 * local accounts' names, and an account of another host is refused
 * (jv_null()): host cannot speak for it. A boosted status inside keeps
 * its author's name as the server gives it, in attributed_to. */
jv th_ap_status(jv status, const char *host);

#endif
