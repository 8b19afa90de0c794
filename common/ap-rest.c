/*
 * ap-rest: Mastodon's public API, for an @user@host whose actor or
 * outbox is refused to an anonymous read (the server wants signed
 * fetches): /api/v1/accounts/lookup, then /api/v1/accounts/ID/statuses,
 * paged with max_id until a page brings nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "ap-private.h"
#include "fedicache.h"
#include "json.h"
#include "msg.h"

/* A Mastodon API id (digits; Pleroma's are letters and digits): safe in
 * a path and a query. */
static int
isapiid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n <= 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
	    "klmnopqrstuvwxyz0123456789") == n;
}

static int
isthreads(const char *host)
{
	return host != NULL && (strcmp(host, "threads.net") == 0 ||
	    strcmp(host, "www.threads.net") == 0 ||
	    strcmp(host, "threads.com") == 0 || strcmp(host, "www.threads.com") == 0);
}

/* The refused way's reason, for when the fallback fails too. */
static void
refuse(struct th_ap *a, const struct th_api_res *res, const char *what)
{
	char *err = th_jv_strdup(res->body, "error"), buf[512];

	snprintf(buf, sizeof(buf), "%s refuses anonymous reads of the %s (HTTP "
	    "%ld%s%s): it wants signed fetches, or the account is not shared "
	    "with the fediverse%s", a->host ? a->host : "the server", what,
	    res->http, err ? ": " : "", err ? err : "", isthreads(a->host) ?
	    " (a Threads account is read through the API: @user)" : "");
	th_setstr(&a->refused, buf);
	free(err);
}

enum th_ap_step
th_ap_rest(struct th_ap *a, const struct th_api_res *res, const char *what)
{
	char *e, *u;

	refuse(a, res, what);
	e = curl_easy_escape(NULL, a->user, 0);
	if (e == NULL || asprintf(&u, "https://%s/api/v1/accounts/lookup?acct=%s",
	    a->host, e) == -1)
		th_die(TH_EIO, "out of memory");
	curl_free(e);
	if (th_opts.verbose)
		th_msg(0, "%s: %s; trying its Mastodon API", a->source, a->refused);
	a->stage = TH_APS_LOOKUP;
	th_ap_seturl(a, u);
	free(u);
	return TH_AP_MORE;
}

/* The first page of the statuses at a->base. */
static void
statuses(struct th_ap *a)
{
	char *s;

	if (asprintf(&s, "%s?limit=%d", a->base, a->pagesize) == -1)
		th_die(TH_EIO, "out of memory");
	a->stage = TH_APS_STATUSES;
	th_ap_seturl(a, s);
	free(s);
}

void
th_ap_resume(struct th_ap *a, const char *base)
{
	th_setstr(&a->base, base);
	statuses(a);
}

enum th_ap_step
th_ap_lookup(struct th_ap *a, const struct th_api_res *res, char *why,
    size_t size)
{
	char *s = res->http == 200 ? th_jv_idstr(res->body, "id") : NULL, *err;

	if (s != NULL && !isapiid(s)) {
		free(s);
		s = NULL;
	}
	if (s == NULL) {
		err = th_jv_strdup(res->body, "error");
		snprintf(why, size, "%s; and its Mastodon API does not serve "
		    "the account either (HTTP %ld%s%s)", a->refused ? a->refused :
		    "it refuses anonymous reads", res->http,
		    err ? ": " : "", err ? err : "");
		free(err);
		return TH_AP_FAIL;
	}
	free(a->base);
	if (asprintf(&a->base, "https://%s/api/v1/accounts/%s/statuses",
	    a->host, s) == -1)
		th_die(TH_EIO, "out of memory");
	free(s);
	if (a->username == NULL)
		a->username = th_strdup(a->source + 1);
	th_fedicache_remember(a->source, a->username, a->base, TH_FEDI_STATUSES);
	if (th_opts.verbose)
		th_msg(0, "%s: read through the Mastodon API, %s", a->source,
		    a->base);
	statuses(a);
	return TH_AP_MORE;
}

enum th_ap_step
th_ap_statuses(struct th_ap *a, const struct th_api_res *res, jv *posts,
    char *why, size_t size)
{
	jv recs = jv_array(), r;
	char *last = NULL;
	enum th_ap_skip skip;

	if (res->http != 200 || jv_get_kind(res->body) != JV_KIND_ARRAY) {
		jv_free(recs);
		return th_ap_fail(why, size, "the Mastodon API's statuses %s did "
		    "not answer with a list (HTTP %ld)", a->url, res->http);
	}
	th_ap_beginpage(a);
	jv_array_foreach(res->body, i, e) {
		free(last);
		last = th_jv_idstr(e, "id");
		r = th_ap_mastodon(e, a->host, 1, &skip);
		recs = th_ap_take(a, recs, r, skip);
		jv_free(e);
	}
	*posts = th_ap_newest(a, recs);
	free(a->next);
	a->next = NULL;
	if (last != NULL && isapiid(last) && asprintf(&a->next,
	    "%s?limit=%d&max_id=%s", a->base, a->pagesize, last) == -1)
		th_die(TH_EIO, "out of memory");
	free(last);
	th_ap_endpage(a, why, size);
	return TH_AP_PAGE;
}
