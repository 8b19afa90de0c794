/*
 * ap-outbox: an account's outbox, read a page at a time. The outbox is
 * a collection whose first page is embedded or linked, or a page itself,
 * or a collection with its items inline (a featured collection). An
 * item whose object is only a URL (GoToSocial) is fetched, one request
 * like a page, when the merge needs the posts after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap-private.h"
#include "fedicache.h"
#include "json.h"
#include "msg.h"
#include "url.h"

/* An outbox page (borrowed) to read: its items, and the page after it. */
static void
outboxpage(struct th_ap *a, jv page)
{
	jv list = th_jv_get(page, "orderedItems");

	th_ap_beginpage(a);
	if (jv_get_kind(list) != JV_KIND_ARRAY) {
		jv_free(list);
		list = th_jv_get(page, "items");
	}
	jv_free(a->items);
	a->items = jv_get_kind(list) == JV_KIND_ARRAY ? list :
	    (jv_free(list), jv_array());
	a->at = 0;
	free(a->next);
	if ((a->next = th_ap_refget(page, "next")) != NULL &&
	    !th_url_https(a->next)) {
		free(a->next);
		a->next = NULL;
	}
}

/* The item (borrowed) whose object is only a URL: fetched next, if it
 * is on the page's host and the source may fetch more. 1 when it is;
 * else 0, with *skip saying why not. */
static int
fetchobject(struct th_ap *a, jv e, enum th_ap_skip *skip)
{
	jv o = th_jv_get(e, "object");
	char *u = th_ap_ref(o);

	jv_free(o);
	if (a->noobjects == NULL && a->objects >= TH_AP_MAX_OBJECTS &&
	    asprintf(&a->noobjects, "more than %d posts to fetch one by one",
	    TH_AP_MAX_OBJECTS) == -1)
		th_die(TH_EIO, "out of memory");
	if (!th_url_onhost(u, a->pagehost))
		*skip = TH_AP_SKIP_FOREIGN;
	else if (a->noobjects == NULL) {
		a->objects++;
		a->when = th_ap_dated(e);
		a->stage = TH_APS_OBJECT;
		th_ap_seturl(a, u);
		free(u);
		return 1;
	}
	free(u);
	return 0;
}

/*
 * Take the page's items from a->at on, after recs (consumed). An item
 * whose object is only a URL is fetched: the records before it are
 * handed over, and the object is fetched when the merge needs the posts
 * after them.
 */
static enum th_ap_step
drain(struct th_ap *a, jv recs, jv *posts, char *why, size_t size)
{
	enum th_ap_skip skip;
	jv e, r;
	int n = jv_array_length(jv_copy(a->items));

	while (a->at < n) {
		e = jv_array_get(jv_copy(a->items), a->at++);
		r = th_ap_item(e, a->username, -1, &skip);
		if (skip == TH_AP_SKIP_BARE && fetchobject(a, e, &skip)) {
			jv_free(r);
			jv_free(e);
			*posts = th_ap_newest(a, recs);
			return TH_AP_PAGE;
		}
		recs = th_ap_take(a, recs, r, skip);
		jv_free(e);
	}
	*posts = th_ap_newest(a, recs);
	th_ap_endpage(a, why, size);
	return TH_AP_PAGE;
}

/*
 * Does the first page's URL hold a cursor (?max_id=, ?until=, ...)?
 * Mastodon, Pleroma, Misskey and GoToSocial name it without one, and it
 * always means the newest posts, so it is kept for a day (fedicache.h);
 * a URL that pins a place in time would hide the posts after it for as
 * long, so the outbox is read each time instead.
 */
static int
pinned(const char *u)
{
	static const char *cursors[] = { "max_id", "min_id", "since_id",
	    "until", "since", "before", "after", "cursor", NULL };
	const char *q = strchr(u, '?'), *p;
	size_t n;
	int i;

	for (p = q; p != NULL && *p != '\0'; p += n) {
		p++;	/* past the ? or & */
		n = strcspn(p, "=&#");
		for (i = 0; cursors[i] != NULL; i++)
			if (strlen(cursors[i]) == n && strncmp(p, cursors[i], n) == 0)
				return 1;
		n += strcspn(p + n, "&#");
		if (p[n] != '&')
			break;
	}
	return 0;
}

enum th_ap_step
th_ap_outbox(struct th_ap *a, const struct th_api_res *res, jv *posts,
    char *why, size_t size)
{
	jv b = res->body, first;
	char *s, *type, host[256];
	long http = res->http;

	if ((http == 401 || http == 403 || http == 404 || http == 410) &&
	    a->stage == TH_APS_OUTBOX && a->user != NULL)
		return th_ap_rest(a, res, "outbox");
	if (http != 200 || jv_get_kind(b) != JV_KIND_OBJECT)
		return th_ap_fail(why, size, "the outbox page %s did not answer "
		    "with ActivityPub (HTTP %ld)", a->url, http);
	type = th_jv_strdup(b, "type");
	first = th_jv_get(b, "first");
	if (a->stage == TH_APS_OUTBOX && type != NULL &&
	    (strcmp(type, "OrderedCollection") == 0 ||
	    strcmp(type, "Collection") == 0) &&
	    jv_get_kind(first) != JV_KIND_NULL) {
		free(type);
		if (jv_get_kind(first) == JV_KIND_OBJECT) {
			/* the first page is embedded */
			outboxpage(a, first);
			jv_free(first);
			return drain(a, jv_array(), posts, why, size);
		}
		s = th_ap_ref(first);
		jv_free(first);
		if (!th_url_https(s)) {
			free(s);
			return th_ap_fail(why, size, "the outbox %s has no https "
			    "first page", a->url);
		}
		/* kept only where the outbox is: a server speaks for itself */
		th_url_host(a->url, host, sizeof(host));
		if (!pinned(s) && th_url_onhost(s, host))
			th_fedicache_first(a->source, s);
		a->stage = TH_APS_PAGE;
		th_ap_seturl(a, s);
		free(s);
		return TH_AP_MORE;
	}
	jv_free(first);
	free(type);
	outboxpage(a, b);	/* a page, or a collection with its items */
	return drain(a, jv_array(), posts, why, size);
}

/* An object fetched for its Create: its record, then the page goes on.
 * It is a page's equal: refused or broken, the source ends. */
enum th_ap_step
th_ap_object(struct th_ap *a, const struct th_api_res *res, jv *posts,
    char *why, size_t size)
{
	enum th_ap_skip skip = TH_AP_SKIP_OTHER;
	jv r = jv_null();
	long http = res->http;

	if (http == 401 || http == 403)
		return th_ap_fail(why, size, "%s refuses anonymous reads of its "
		    "posts (HTTP %ld): it wants signed fetches", a->pagehost, http);
	if (http != 404 && http != 410) {	/* else deleted since: skipped */
		if (http != 200 || jv_get_kind(res->body) != JV_KIND_OBJECT)
			return th_ap_fail(why, size, "the post %s is not an "
			    "ActivityPub document (HTTP %ld)", a->url, http);
		if (th_url_onhost(a->url, a->pagehost))
			r = th_ap_item(res->body, a->username, a->when, &skip);
		else
			skip = TH_AP_SKIP_FOREIGN;	/* sent to another server */
	}
	return drain(a, th_ap_take(a, jv_array(), r, skip), posts, why, size);
}
