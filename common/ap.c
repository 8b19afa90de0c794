/*
 * ap: a fediverse account as a th source. Every request is an anonymous
 * GET over https (th_api_fetch: no token ever goes there); every answer
 * is turned into th's post records (ap-record.c), so that the same jq
 * works on a Mastodon account and a Threads one. This file holds the
 * reader's life and hands each answer to its stage (ap-private.h lists
 * them); what an account resolved to is kept in fedicache.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ap.h"
#include "ap-private.h"
#include "fedicache.h"
#include "json.h"
#include "msg.h"

struct th_ap *
th_ap_new(const char *source, int pagesize, int fresh)
{
	struct th_ap *a;
	struct th_fedi_known k;
	const char *at;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		th_die(TH_EIO, "out of memory");
	a->source = th_strdup(source);
	a->pagesize = pagesize < 1 ? 20 : pagesize > 40 ? 40 : pagesize;
	a->floor = -1;
	a->items = jv_null();
	if (source[0] == '@' && (at = strchr(source + 1, '@')) != NULL) {
		if ((a->user = strndup(source + 1, (size_t)(at - source - 1))) == NULL)
			th_die(TH_EIO, "out of memory");
		a->host = th_strdup(at + 1);
	}
	if (fresh || !th_fedicache_find(source, &k)) {
		th_ap_begin(a);
		return a;
	}
	a->cached = 1;
	a->username = th_strdup(k.username);
	if (th_opts.verbose)
		th_msg(0, "%s: read through %s %s (looked up %lld min ago)%s%s",
		    source, k.via == TH_FEDI_OUTBOX ? "ActivityPub, outbox" :
		    "the Mastodon API,", k.url,
		    ((long long)time(NULL) - k.at) / 60,
		    k.first != NULL ? ", from its first page " : "",
		    k.first != NULL ? k.first : "");
	if (k.via == TH_FEDI_STATUSES) {
		th_ap_resume(a, k.url);
		return a;
	}
	/* straight to the first page: the outbox would only name it again */
	a->stage = k.first != NULL ? TH_APS_PAGE : TH_APS_OUTBOX;
	th_ap_seturl(a, k.first != NULL ? k.first : k.url);
	return a;
}

const char *
th_ap_url(struct th_ap *a, const char **accept)
{
	if (a->stage == TH_APS_END || a->url == NULL)
		return NULL;
	*accept = a->stage == TH_APS_WEBFINGER ? TH_AP_ACCEPT_JRD :
	    a->stage == TH_APS_LOOKUP || a->stage == TH_APS_STATUSES ?
	    TH_AP_ACCEPT_JSON : TH_AP_ACCEPT_AS;
	return a->wire ? a->wire : a->url;
}

/* Is b (borrowed) a page of an outbox: an object with its items? */
static int
ispage(jv b)
{
	jv l;
	int r;

	if (jv_get_kind(b) != JV_KIND_OBJECT)
		return 0;
	l = th_jv_get(b, "orderedItems");
	if (jv_get_kind(l) != JV_KIND_ARRAY) {
		jv_free(l);
		l = th_jv_get(b, "items");
	}
	r = jv_get_kind(l) == JV_KIND_ARRAY;
	jv_free(l);
	return r;
}

/* A known entry's first answer: does it say the account moved, went or
 * was locked since (not a 5xx or a 429, which another lookup would only
 * add to), or is the first page known no page any more? Then it is
 * looked up again. */
static int
stale(struct th_ap *a, const struct th_api_res *res)
{
	long http = res->http;

	if (!a->cached)
		return 0;
	a->cached = 0;
	if (!(http == 401 || http == 403 || http == 404 || http == 410 ||
	    (http == 200 && jv_get_kind(res->body) != JV_KIND_OBJECT &&
	    jv_get_kind(res->body) != JV_KIND_ARRAY) ||
	    (http == 200 && a->stage == TH_APS_PAGE && !ispage(res->body))))
		return 0;
	if (th_opts.verbose)
		th_msg(0, "%s: %s answers HTTP %ld; looking the account up again",
		    a->source, a->url, http);
	th_fedicache_forget(a->source);
	th_ap_begin(a);
	return 1;
}

enum th_ap_step
th_ap_answer(struct th_ap *a, const struct th_api_res *res, jv *posts,
    char *why, size_t size)
{
	long http = res->http;

	*posts = jv_invalid();
	why[0] = '\0';
	/* what a failure amounts to: the server down or overloaded (after
	 * the retries), rate limited, or a refusal that will not change */
	a->status = http >= 500 ? TH_EUNAVAIL : http == 429 ? TH_ETEMP : TH_EFAIL;
	if ((http == 301 || http == 302 || http == 303 || http == 307 ||
	    http == 308) && res->location != NULL && a->url != NULL)
		return th_ap_redirect(a, res, why, size);
	a->redirects = 0;
	if (stale(a, res))
		return TH_AP_MORE;
	switch (a->stage) {
	case TH_APS_WEBFINGER:
		return th_ap_webfinger(a, res, why, size);
	case TH_APS_ACTOR:
		return th_ap_actor(a, res, why, size);
	case TH_APS_OUTBOX:
	case TH_APS_PAGE:
		return th_ap_outbox(a, res, posts, why, size);
	case TH_APS_OBJECT:
		return th_ap_object(a, res, posts, why, size);
	case TH_APS_LOOKUP:
		return th_ap_lookup(a, res, why, size);
	case TH_APS_STATUSES:
		return th_ap_statuses(a, res, posts, why, size);
	case TH_APS_END:
		break;
	}
	a->stage = TH_APS_END;
	*posts = jv_array();
	return TH_AP_PAGE;
}

int
th_ap_exit(const struct th_ap *a)
{
	return a->status ? a->status : TH_EFAIL;
}

void
th_ap_free(struct th_ap *a)
{
	if (a == NULL)
		return;
	free(a->source);
	free(a->user);
	free(a->host);
	free(a->username);
	free(a->url);
	free(a->wire);
	free(a->base);
	free(a->refused);
	jv_free(a->items);
	free(a->next);
	free(a->noobjects);
	th_api_seen_free(&a->pages);
	free(a);
}

void
th_ap_cleanup(void)
{
	th_fedicache_cleanup();
}
