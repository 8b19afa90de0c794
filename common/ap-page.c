/*
 * ap-page: what a page of posts is, whether it came from an outbox or
 * from Mastodon's API. A server speaks for its own posts alone (a post
 * whose id is not on the host that served the page is skipped, and
 * counted); pages go back in time, so what a page holds that is newer
 * than the pages before was read already; a page read before, or a few
 * pages in a row that go no further back, end the source.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap-private.h"
#include "json.h"
#include "msg.h"
#include "url.h"

struct dated {
	long long	 ts;
	int		 i;
	jv		 rec;
};

static int
bytime(const void *x, const void *y)
{
	const struct dated *a = x, *b = y;

	if (a->ts != b->ts)
		return a->ts > b->ts ? -1 : 1;
	return a->i - b->i;
}

/* Records, newest first (servers list newest first; this makes sure). */
static jv
sorted(jv recs)
{
	struct dated *d;
	int n = jv_array_length(jv_copy(recs)), i;
	jv out = jv_array();

	if (n < 2)
		return (jv_free(out), recs);
	if ((d = calloc((size_t)n, sizeof(*d))) == NULL)
		th_die(TH_EIO, "out of memory");
	for (i = 0; i < n; i++) {
		d[i].rec = jv_array_get(jv_copy(recs), i);
		d[i].ts = th_jv_time(d[i].rec, "timestamp");
		d[i].i = i;
	}
	jv_free(recs);
	qsort(d, (size_t)n, sizeof(*d), bytime);
	for (i = 0; i < n; i++)
		out = jv_array_append(out, d[i].rec);
	free(d);
	return out;
}

/* Pages go back in time: what a page holds that is newer than the pages
 * before it was read already (a server whose pages run in a circle, or
 * go forward again), so it is dropped. recs (sorted, consumed) are
 * returned, and the floor is the oldest of them. */
static jv
older(struct th_ap *a, jv recs)
{
	jv out = jv_array();
	long long t;

	jv_array_foreach(recs, i, r) {
		t = th_jv_time(r, "timestamp");
		if (a->floor < 0 || t <= a->floor) {
			a->floor = t;
			out = jv_array_append(out, r);
		} else
			jv_free(r);
	}
	jv_free(recs);
	return out;
}

jv
th_ap_newest(struct th_ap *a, jv recs)
{
	return older(a, sorted(recs));
}

void
th_ap_beginpage(struct th_ap *a)
{
	th_url_host(a->url, a->pagehost, sizeof(a->pagehost));
	a->pagefloor = a->floor;
	a->foreign = a->undated = a->unfetched = 0;
	(void)th_api_seen(&a->pages, a->url, strlen(a->url));
}

/* Append to why what else there is to say, after a "; ". */
static void addwhy(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
addwhy(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(why);

	if (n > 0 && n + 2 < size) {
		memcpy(why + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	if (n < size)
		vsnprintf(why + n, size - n, fmt, ap);
	va_end(ap);
}

void
th_ap_endpage(struct th_ap *a, char *why, size_t size)
{
	char *next = a->next;
	int n = a->foreign + a->undated + a->unfetched;

	a->next = NULL;
	jv_free(a->items);
	a->items = jv_null();
	if (n > 0) {
		char list[512] = "";
		size_t k;
		if (a->foreign > 0)
			snprintf(list, sizeof(list), ", %d whose id or account is "
			    "not on %s", a->foreign, a->pagehost);
		if (a->undated > 0 && (k = strlen(list)) < sizeof(list))
			snprintf(list + k, sizeof(list) - k, ", %d with no date",
			    a->undated);
		if (a->unfetched > 0 && (k = strlen(list)) < sizeof(list))
			snprintf(list + k, sizeof(list) - k, ", %d not fetched (%s)",
			    a->unfetched, a->noobjects ? a->noobjects :
			    "a link to a link");
		addwhy(why, size, "skipped %d post%s: %s", n,
		    n > 1 ? "s" : "", list + 2);
	}
	/* a page that goes no further back (pages of likes and follows, or
	 * a server going in circles) is nothing new: a few in a row end it */
	if (a->floor == a->pagefloor) {
		if (++a->empty >= TH_AP_PAGES_EMPTY && next != NULL) {
			addwhy(why, size, "paging stopped: %d pages in a "
			    "row brought nothing new", a->empty);
			next = (free(next), NULL);
		}
	} else
		a->empty = 0;
	if (next != NULL && th_api_seen(&a->pages, next, strlen(next))) {
		addwhy(why, size, "paging stopped: the next page %s was "
		    "read before (the pages go in a circle)", next);
		next = (free(next), NULL);
	}
	a->stage = next == NULL ? TH_APS_END : a->stage == TH_APS_STATUSES ?
	    TH_APS_STATUSES : TH_APS_PAGE;
	th_ap_seturl(a, next);
	free(next);
}

jv
th_ap_take(struct th_ap *a, jv recs, jv r, enum th_ap_skip skip)
{
	char *id;

	if (jv_get_kind(r) != JV_KIND_OBJECT) {
		jv_free(r);
		a->foreign += skip == TH_AP_SKIP_FOREIGN;
		a->undated += skip == TH_AP_SKIP_NODATE;
		a->unfetched += skip == TH_AP_SKIP_BARE;
		return recs;
	}
	/* a server speaks for its own posts alone: an id elsewhere (on
	 * Threads, or a number like a Threads id) would let it stand in
	 * for posts that are not its own */
	id = th_jv_strdup(r, "id");
	if (th_url_onhost(id, a->pagehost))
		recs = jv_array_append(recs, r);
	else {
		jv_free(r);
		a->foreign++;
	}
	free(id);
	return recs;
}
