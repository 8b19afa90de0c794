/*
 * ap-private: the fediverse reader's state, shared by its stages and by
 * nothing else (ap.c and ap-*.c include it). Each stage is one file:
 *
 *   ap-discover.c	WebFinger, and redirects of any stage
 *   ap-actor.c		the actor: its outbox and its name
 *   ap-outbox.c	the outbox, its pages, objects fetched one by one
 *   ap-rest.c		Mastodon's API, when ActivityPub is refused
 *   ap-page.c		what every page shares: dates, skipped posts, the end
 *   ap-next.c		the next URL, and its form on the wire
 */
#ifndef TH_AP_PRIVATE_H
#define TH_AP_PRIVATE_H
#include <stddef.h>
#include <stdio.h>
#include <jv.h>

#include "ap-record.h"
#include "ap-step.h"
#include "api.h"

#define TH_AP_ACCEPT_JRD	"application/jrd+json, application/json"
#define TH_AP_ACCEPT_AS		"application/activity+json, application/ld+json; " \
				"profile=\"https://www.w3.org/ns/activitystreams\""
#define TH_AP_ACCEPT_JSON	"application/json"
#define TH_AP_PAGES_EMPTY	TH_PAGES_STALE	/* pages in a row without a post */
#define TH_AP_MAX_OBJECTS	200	/* posts fetched one by one, a source */

/* What the next answer is the answer to. */
enum th_ap_stage {
	TH_APS_WEBFINGER, TH_APS_ACTOR, TH_APS_OUTBOX, TH_APS_PAGE,
	TH_APS_OBJECT, TH_APS_LOOKUP, TH_APS_STATUSES, TH_APS_END
};

struct th_ap {
	char		*source;
	char		*user, *host;	/* of @user@host; NULL for a URL */
	char		*username;	/* records' "username" */
	enum th_ap_stage stage;
	char		*url;		/* what to fetch next (https) */
	char		*wire;		/* url as sent (fedi_connect) */
	char		*base;		/* STATUSES: the statuses URL, no max_id */
	char		*refused;	/* why the ActivityPub way was refused */
	int		 pagesize;
	int		 empty;		/* pages in a row without posts */
	int		 redirects;	/* in a row */
	int		 status;	/* the exit status of a failure */
	long long	 floor;		/* the oldest post so far, or -1 */
	int		 cached;	/* the next answer tests a known entry */
	struct th_seen	 pages;		/* the pages read: a circle ends */
	/* the page being read: its items are taken in order, and one whose
	 * object is only a URL is fetched (stage OBJECT) when the merge
	 * needs the posts after it */
	jv		 items;		/* its items (owned), or null */
	int		 at;		/* the next of them */
	char		*next;		/* the page after it, or NULL */
	char		 pagehost[256];	/* the host that served it */
	long long	 pagefloor;	/* floor when it began */
	long long	 when;		/* OBJECT: its Create's date */
	int		 objects;	/* objects fetched, at most TH_AP_MAX_OBJECTS */
	char		*noobjects;	/* why objects are no longer fetched */
	int		 foreign, undated, unfetched;	/* the page's skipped posts */
};

/*
 * The stages. Each takes the answer (res borrowed, res->status 0) to the
 * request its stage made, and returns what th_ap_answer() does: why, of
 * size bytes, says why on TH_AP_FAIL and holds warnings otherwise; on
 * TH_AP_PAGE *posts is the caller's.
 */
/* ap-discover.c: from the start (WebFinger for @user@host, the actor
 * for a URL); a 3xx of any stage; WebFinger's answer. */
void th_ap_begin(struct th_ap *a);
enum th_ap_step th_ap_redirect(struct th_ap *a, const struct th_api_res *res,
    char *why, size_t size);
enum th_ap_step th_ap_webfinger(struct th_ap *a, const struct th_api_res *res,
    char *why, size_t size);
/* ap-actor.c */
enum th_ap_step th_ap_actor(struct th_ap *a, const struct th_api_res *res,
    char *why, size_t size);
/* ap-outbox.c: the outbox or one of its pages; an object fetched for
 * its Create. */
enum th_ap_step th_ap_outbox(struct th_ap *a, const struct th_api_res *res,
    jv *posts, char *why, size_t size);
enum th_ap_step th_ap_object(struct th_ap *a, const struct th_api_res *res,
    jv *posts, char *why, size_t size);
/* ap-rest.c: what (the "actor", the "outbox") was refused, res says
 * how: Mastodon's API is tried instead (TH_AP_MORE); the account's
 * lookup; a page of its statuses; reading from a statuses URL known
 * before (base, without a query). */
enum th_ap_step th_ap_rest(struct th_ap *a, const struct th_api_res *res,
    const char *what);
enum th_ap_step th_ap_lookup(struct th_ap *a, const struct th_api_res *res,
    char *why, size_t size);
enum th_ap_step th_ap_statuses(struct th_ap *a, const struct th_api_res *res,
    jv *posts, char *why, size_t size);
void th_ap_resume(struct th_ap *a, const char *base);

/* ap-page.c: a page (its URL a->url) begins; a record (consumed) of it
 * into recs (consumed, returned), or counted as skipped; recs (consumed)
 * newest first and no newer than the pages before; the page is read:
 * what it skipped added to why, and on to the next page (a->next) unless
 * the pages go in a circle or bring nothing new. */
void th_ap_beginpage(struct th_ap *a);
jv th_ap_take(struct th_ap *a, jv recs, jv r, enum th_ap_skip skip);
jv th_ap_newest(struct th_ap *a, jv recs);
void th_ap_endpage(struct th_ap *a, char *why, size_t size);

/* ap-next.c: fetch url next (NULL: nothing). */
void th_ap_seturl(struct th_ap *a, const char *url);
/* A stage's failure: why (of size bytes) says it, the source ends. */
#define th_ap_fail(why, size, ...) \
	(snprintf((why), (size), __VA_ARGS__), TH_AP_FAIL)
#endif
