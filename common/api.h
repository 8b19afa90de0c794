/* api: Threads requests, error classification, cursor pagination. */
#ifndef TH_API_H
#define TH_API_H
#include <stddef.h>

#include <jv.h>

#include "http.h"

/* What a finished request amounts to; see th_api_classify(). */
enum th_api_kind {
	TH_API_OK,
	TH_API_TRANSIENT,	/* worth a retry; 69 when retries run out */
	TH_API_RATE,		/* rate limited; worth a retry; 75 */
	TH_API_AUTH,		/* token or permission; 77 */
	TH_API_REFUSED,		/* permanent; 1 */
	TH_API_BROKEN,		/* not an API answer (HTML, bad JSON); 69 */
};

struct th_api_res {
	int	 status;	/* exit status: 0 or a TH_E* */
	long	 http;		/* HTTP status, 0 if none */
	jv	 body;		/* the parsed answer, jv_null() if none; owned */
	jv	 error;		/* {code,error_subcode,type,message,…} or null; owned */
	char	 why[512];	/* on failure, the reason in words: the API's
				 * text as it came; th_api_reason() for a message */
	char	*location;	/* th_api_fetch(): the Location header, or NULL */
	/* what was asked, for th_api_reason()'s words: the request's method
	 * and path ("GET", "123/insights"), and how many attempts it took */
	char	 method[8];
	char	 path[128];
	int	 attempts;
	size_t	 apiwhy;	/* why's length as api left it (0: not api's):
				 * words a caller adds after it stay in the
				 * message */
};

/*
 * Classify an answer. body is borrowed (jv_null() or invalid when it did
 * not parse). Fills the detail (owned by the caller, jv_null() when there
 * is no error envelope) and a reason. Knows the Graph envelope
 * {"error":{…}} and the two flat OAuth shapes.
 */
enum th_api_kind th_api_classify(long http, jv body, jv *detail,
    char *why, size_t whysize);
/* The exit status of a kind. */
int th_api_exit(enum th_api_kind k);

/*
 * URL of path on the configured API root. path is "me/threads",
 * "/v1.0/me", "/oauth/access_token" or an absolute URL on the API origin
 * (anything else: NULL). Graph paths get the /v1.0 prefix; the token
 * endpoints stay unversioned. params (borrowed object, string values) go
 * into the query string. Returns malloc'd, or NULL with why set.
 */
char *th_api_url(const char *path, jv params, char *why, size_t whysize);
/* params (borrowed) as application/x-www-form-urlencoded, malloc'd. */
char *th_api_form(jv params);

/*
 * One request: GET and DELETE carry params in the query string, POST in
 * the body. params is consumed. The token is asked of the provider
 * (th_api_token_provider()) on first use.
 * Returns res->status.
 */
int th_api_call(const char *method, const char *path, jv params,
    struct th_api_res *res);
/*
 * GET path with caller's token in the query string as access_token, and
 * no Authorization header: the form the token endpoints take (the
 * long-lived exchange, the refresh, debug_token), and the only requests
 * that put a token in a URL. The URL goes only to the API origin (https,
 * or http on loopback), and -v and every message show it redacted.
 * params consumed, caller borrowed. Returns res->status.
 */
int th_api_get_tokq(const char *path, jv params, const char *caller,
    struct th_api_res *res);
/*
 * Concurrent reads over the one multi handle: th_api_submit() queues a
 * GET (params consumed) and returns 0, or the status with res filled
 * when it cannot be sent at all; th_api_next() waits for any queued
 * request to finish and fills res (the caller frees it), NULL when none
 * is queued. Do not mix with th_api_call() while requests are queued.
 */
struct th_api_req {
	struct th_http_req http;	/* first: the engine hands it back */
	char	*url, *form;
	void	*udata;			/* the caller's */
	int	 raw;			/* th_api_fetch(): not the API */
};
int th_api_submit(struct th_api_req *q, const char *path, jv params,
    struct th_api_res *res);
/* Queue an anonymous GET of url, a fediverse document (http.h's fedi):
 * no token, Accept: accept. Its answer is not the API's: th_api_next()
 * only parses it (res->body, or null when it is not JSON) and sets
 * res->http; res->status is 0 whenever a response arrived at all. */
void th_api_fetch(struct th_api_req *q, const char *url, const char *accept);
struct th_api_req *th_api_next(struct th_api_res *res);

/* Did a failed write leave us not knowing whether it was done (no answer,
 * a 5xx, an answer that is not the API's)? Never for 77 and 75. Writes
 * are never re-sent on this alone: the caller asks the object first. */
int th_api_lost(const struct th_api_res *res);
/* An idempotent write (hide, approve): th_api_call(), and when its answer
 * was lost on the way (th_api_lost()), asked once more. params owned. */
int th_api_call_again(const char *method, const char *path, jv params,
    struct th_api_res *res);

/* A number in the error detail ("code", "error_subcode"), or -1. */
long th_api_errcode(const struct th_api_res *res, const char *key);

/*
 * The one shape of an error line after "th-verb: what: ": th's words
 * about what failed first, then the API's text, less what misleads:
 *	no such user, or not a public profile the API may read
 *	    (API: The requested user could not be found or is not public, code 100)
 * The words come from the error's code and the request's path (a user,
 * a post, a permission); a failure the API did not explain (no answer,
 * HTTP only) is res->why alone. Fills buf (size bytes) from res
 * (borrowed).
 */
void th_api_reason(const struct th_api_res *res, char *buf, size_t size);
/* The permission that method on path needs ("threads_manage_insights"),
 * or NULL when it depends on more than the path (the quotas' fields). */
const char *th_api_permission(const char *method, const char *path);
/* Print "what: reason" (th_api_reason()), with the API's detail in the
 * JSON form; returns res->status. */
int th_api_report(struct th_api_res *res, const char *what);
void th_api_res_free(struct th_api_res *res);

/*
 * What a paged read has been given (cursors, page URLs, pages), to end
 * one that goes in a circle (A, B, A ...): a 64-bit hash each, so that
 * it costs 8 bytes a page however long the strings are.
 */
struct th_seen {
	unsigned long long	*h;
	size_t			 n;
};
/* 1 when s (n bytes) was seen before; else it is remembered and 0. */
int th_api_seen(struct th_seen *set, const char *s, size_t n);
void th_api_seen_free(struct th_seen *set);

/* Pages in a row that bring nothing new before a read gives up. */
#define TH_PAGES_STALE	3

/* A cursor-paged read's guard against a server going in a circle. */
struct th_circle {
	struct th_seen	 cursors;	/* every cursor given */
	struct th_seen	 pages;		/* every page's data */
	int		 stale;		/* pages in a row that repeat one before */
};
/*
 * After a page's data (borrowed) and its next cursor (*after, malloc'd,
 * or NULL at the end): 1 when the page is the same as one read before
 * (nothing new: the caller drops it), else 0. A cursor given before, or
 * TH_PAGES_STALE such pages in a row, end the read: *after is freed and
 * NULL, and a warning says so, naming what ("me/threads", "@meta").
 */
int th_api_circle(struct th_circle *c, jv data, char **after, const char *what);
void th_api_circle_free(struct th_circle *c);

/*
 * Cursor pagination over a list edge, one item at a time, one page in
 * memory. It pages with the `after` cursor and never follows paging.next
 * (that URL carries the token in clear); a server going in a circle is
 * stopped (th_api_circle()).
 */
struct th_pager {
	char	*path;
	jv	 params;	/* owned */
	char	*after;		/* cursor of the next page, NULL at the end */
	jv	 page;		/* current page's data array */
	int	 idx, n;
	int	 started, last;
	long	 pages;		/* pages fetched */
	struct th_circle circle;
};
void th_pager_init(struct th_pager *p, const char *path, jv params);
/* 1 with *item (owned by the caller), 0 at the end, or -1 on failure
 * with res filled (the caller reports and frees it; res->status is the
 * exit status). A page that is not a list is handed back whole as the
 * only item. */
int th_pager_next(struct th_pager *p, jv *item, struct th_api_res *res);
void th_pager_free(struct th_pager *p);

/*
 * Where the token comes from. api never looks for one itself: the layer
 * that knows (auth, through cli's start-up) hands it a provider, asked
 * once, on the first request that needs a token, never before (th-list
 * needs none; th-auth login must not read the stored one). fn sets *tok
 * (malloc'd; api takes it and wipes it) and uid (size bytes: the account's
 * user id, or "" when unknown) and returns 0 or an exit status after its
 * message. It may call th_api_get_tokq() (a refresh): that needs no token.
 */
typedef int th_api_token_fn(char **tok, char *uid, size_t size);
void th_api_token_provider(th_api_token_fn *fn);
/* What a user does when the API refuses the token, as the provider knows
 * where it came from ("run th-auth login -a NAME", "set another
 * TH_ACCESS_TOKEN ..."); th_api_reason() says it. Copied. */
void th_api_token_fix(const char *how);
/* Look the token up now rather than on the first request: 0 or the
 * provider's status (77 when there is none). */
int th_api_token(void);
/* The after cursor of a list answer (borrowed) when it says there is a
 * next page (paging.next); malloc'd, or NULL at the end. */
char *th_api_nextcursor(jv body);
/* The token owner's user id (the provider's, else /me), in buf.
 * Returns 0 or a status, after a message. */
int th_api_uid(char *buf, size_t size);
/* Use tok (copied, registered as a secret) for the requests that follow,
 * instead of asking the provider. */
void th_api_set_token(const char *tok);
/* Wipe and free the token (registered with th_atexit() once api holds
 * one); the next request that needs a token asks the provider again. */
void th_api_cleanup(void);
#endif
