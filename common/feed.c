/*
 * feed: the merged timeline. Every source (source.h) is read a page at
 * a time and holds at most one page; the merge takes the newest head
 * among them. A source whose page runs out is refilled only when its
 * next post is needed to choose, so -n 10 over fifty sources reads fifty
 * first pages and nothing more, and a long read keeps one page per
 * source in memory. Duplicates (one post seen by two sources) carry the
 * same timestamp, so only the ids emitted at the current timestamp are
 * remembered. Ids are compared within one network only, as each source
 * reports it: a fediverse server names its posts as it likes, and must
 * never stand in for a Threads post. What kind a source is, the feed
 * never asks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "feed.h"
#include "http.h"
#include "json.h"
#include "msg.h"
#include "source.h"

enum sstate { S_NEED, S_PENDING, S_READY, S_DONE };

struct src {
	char		*label;
	jv		 labels;	/* [label]: shared by its records */
	struct th_source src;		/* its self is ours */
	enum sstate	 state;
	int		 more;		/* a next request to make */
	jv		 page;		/* the current page's records */
	int		 idx, n;
	jv		 head;		/* page[idx], taken out of the page */
	long long	 since;		/* the source's cursor, 0 for none */
	jv		 skip;		/* ids at the cursor's second, taken before */
	long long	 head_ts;
	char		*head_id;
	struct th_api_req req;		/* in flight when S_PENDING */
};

struct th_feed {
	struct src	*s;
	int		 n, cap;
	int		 parallel, inflight;
	long long	 since, until;
	int		 apiwindow;
	int		 pagesize;
	long		 pages;
	int		 status;	/* per-source failures, merged */
	long long	 cur_ts;	/* the timestamp being emitted */
	struct emitted {
		const char	*net;	/* its source's network */
		char		*id;
	}		*cur;		/* posts emitted at cur_ts */
	int		 ncur;
	jv		 srckey;	/* "th_sources", made once */
};

struct th_feed *
th_feed_new(int parallel)
{
	struct th_feed *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		th_die(TH_EIO, "out of memory");
	f->parallel = parallel > 0 ? parallel : 8;
	f->pagesize = 100;
	f->cur_ts = -1;
	f->srckey = jv_string("th_sources");
	th_http_set_parallel(f->parallel);
	return f;
}

void
th_feed_add(struct th_feed *f, const char *label, struct th_source src)
{
	struct src *ns, *s;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		if ((ns = reallocarray(f->s, (size_t)f->cap, sizeof(*ns))) == NULL)
			th_die(TH_EIO, "out of memory");
		f->s = ns;
	}
	s = &f->s[f->n++];
	memset(s, 0, sizeof(*s));
	s->label = th_strdup(label);
	s->labels = jv_array_append(jv_array(), jv_string(label));
	s->src = src;
	s->state = S_NEED;
	s->page = jv_null();
	s->head = jv_null();
	s->skip = jv_array();
}

void
th_feed_cursor(struct th_feed *f, long long ts, jv ids)
{
	struct src *s = &f->s[f->n - 1];

	s->since = ts;
	jv_free(s->skip);
	s->skip = jv_get_kind(ids) == JV_KIND_ARRAY ? ids : (jv_free(ids), jv_array());
}

static int
skipped(const struct src *s)
{
	int hit = 0;

	if (s->since <= 0 || s->head_ts != s->since || s->head_id == NULL)
		return 0;
	jv_array_foreach(s->skip, i, e) {
		if (!hit && jv_get_kind(e) == JV_KIND_STRING &&
		    strcmp(jv_string_value(e), s->head_id) == 0)
			hit = 1;
		jv_free(e);
	}
	return hit;
}

void
th_feed_window(struct th_feed *f, long long since, long long until, int api)
{
	f->since = since;
	f->until = until;
	f->apiwindow = api;
}

void
th_feed_pagesize(struct th_feed *f, int n)
{
	f->pagesize = n < 1 ? 1 : n > 100 ? 100 : n;
}

int
th_feed_status(const struct th_feed *f)
{
	return f->status;
}

long
th_feed_pages(const struct th_feed *f)
{
	return f->pages;
}

static void
clearhead(struct src *s)
{
	jv_free(s->head);
	s->head = jv_null();
	free(s->head_id);
	s->head_id = NULL;
}

static void
done(struct src *s)
{
	clearhead(s);
	jv_free(s->page);
	s->page = jv_null();
	s->more = 0;
	s->state = S_DONE;
}

/* Load page[idx] as the head, or move on: S_READY, S_NEED or S_DONE. */
static void
sethead(struct src *s)
{
	clearhead(s);
	if (s->idx < s->n) {
		/* taken out of the page, so that the record is the head's alone
		 * and adding th_sources changes it in place instead of copying
		 * it (the profile showed a copy of every record) */
		s->head = jv_array_get(jv_copy(s->page), s->idx);
		s->page = jv_array_set(s->page, s->idx, jv_null());
		s->head_ts = th_jv_time(s->head, "timestamp");
		s->head_id = th_jv_idstr(s->head, "id");
		s->state = S_READY;
		return;
	}
	jv_free(s->page);
	s->page = jv_null();
	s->state = s->more ? S_NEED : S_DONE;
}

/* Send the source's next request, if it has one. */
static void
submit(struct th_feed *f, struct src *s)
{
	struct th_src_window w;
	struct th_src_req r;
	struct th_api_res res;

	w.since = f->since > s->since ? f->since : s->since;
	w.until = f->until;
	w.api = f->apiwindow;
	w.pagesize = f->pagesize;
	memset(&r, 0, sizeof(r));
	r.params = jv_null();
	if (!s->src.ops->next(s->src.self, &w, &r)) {
		jv_free(r.params);
		done(s);
		return;
	}
	s->req.udata = s;
	if (r.path == NULL) {
		jv_free(r.params);
		th_api_fetch(&s->req, r.url, r.accept);
	} else if (th_api_submit(&s->req, r.path, r.params, &res) != 0) {
		f->status = th_status_merge(f->status, th_msg(res.status, "%s: %s",
		    s->label, res.why));
		th_api_res_free(&res);
		done(s);
		return;
	}
	s->state = S_PENDING;
	f->inflight++;
}

/* Wait for one request and take what its answer yields; returns a
 * status that stops everything, or 0. */
static int
collect(struct th_feed *f)
{
	struct th_api_res res;
	struct th_src_answer a;
	struct th_api_req *q;
	struct src *s;
	enum th_src_yield y;
	int rc = 0;

	if ((q = th_api_next(&res)) == NULL) {
		f->inflight = 0;
		return 0;
	}
	s = q->udata;
	f->inflight--;
	f->pages++;
	a.records = a.detail = jv_null();
	a.more = a.status = 0;
	a.why[0] = '\0';
	y = s->src.ops->answer(s->src.self, &res, &a);
	th_api_res_free(&res);
	switch (y) {
	case TH_SRC_FATAL:
		rc = th_msgj(a.status, a.detail, "%s: %s", s->label, a.why);
		done(s);
		break;
	case TH_SRC_FAILED:
		f->status = th_status_merge(f->status, th_msgj(a.status,
		    a.detail, "%s: %s", s->label, a.why));
		done(s);
		break;
	case TH_SRC_RECORDS:
		if (a.why[0] != '\0')
			th_msg(0, "%s: %s", s->label, a.why);
		jv_free(s->page);
		s->page = a.records;
		a.records = jv_null();
		s->n = jv_array_length(jv_copy(s->page));
		s->idx = 0;
		s->more = a.more;
		sethead(s);	/* an empty page with more after it: S_NEED */
		break;
	}
	jv_free(a.records);
	jv_free(a.detail);
	return rc;
}

/* Every source has a head, or is done. */
static int
fill(struct th_feed *f)
{
	int i, rc, need;

	for (;;) {
		need = 0;
		for (i = 0; i < f->n; i++) {
			if (f->s[i].state == S_NEED && f->inflight < f->parallel)
				submit(f, &f->s[i]);
			need |= f->s[i].state == S_NEED || f->s[i].state == S_PENDING;
		}
		if (!need)
			return 0;
		if ((rc = collect(f)) != 0)
			return rc;
	}
}

static int
newer(const struct src *a, const struct src *b)
{
	if (a->head_ts != b->head_ts)
		return a->head_ts > b->head_ts;
	if (a->head_id == NULL || b->head_id == NULL)
		return a->head_id != NULL;
	if (strlen(a->head_id) != strlen(b->head_id))
		return strlen(a->head_id) > strlen(b->head_id);
	return strcmp(a->head_id, b->head_id) > 0;
}

static void
advance(struct src *s)
{
	s->idx++;
	sethead(s);
}

/* Was the post emitted already? (Remembered if not.) */
static int
seen(struct th_feed *f, long long ts, const char *net, const char *id)
{
	struct emitted *n;
	int i;

	if (ts != f->cur_ts) {
		for (i = 0; i < f->ncur; i++)
			free(f->cur[i].id);
		f->ncur = 0;
		f->cur_ts = ts;
	}
	for (i = 0; i < f->ncur; i++)
		if (strcmp(f->cur[i].net, net) == 0 && strcmp(f->cur[i].id, id) == 0)
			return 1;
	if ((n = reallocarray(f->cur, (size_t)f->ncur + 1, sizeof(*n))) == NULL ||
	    (n[f->ncur].id = strdup(id)) == NULL)
		th_die(TH_EIO, "out of memory");
	n[f->ncur].net = net;
	f->cur = n;
	f->ncur++;
	return 0;
}

int
th_feed_next(struct th_feed *f, jv *item)
{
	struct src *best, *s;
	jv labels, it;
	int i, rc;

	*item = jv_invalid();
	for (;;) {
		if ((rc = fill(f)) != 0)
			return rc;
		best = NULL;
		for (i = 0; i < f->n; i++)
			if (f->s[i].state == S_READY && (best == NULL || newer(&f->s[i], best)))
				best = &f->s[i];
		if (best == NULL)
			return 0;
		if (f->since > 0 && best->head_ts >= 0 && best->head_ts < f->since) {
			if (best->src.ordered)
				done(best);	/* the rest is older still */
			else
				advance(best);
			continue;
		}
		if (best->since > 0 && best->head_ts >= 0 && best->head_ts < best->since) {
			if (best->src.ordered)
				done(best);
			else
				advance(best);
			continue;
		}
		if ((f->until > 0 && best->head_ts > f->until) || skipped(best)) {
			advance(best);
			continue;
		}
		if (best->head_id == NULL) {	/* not a post: pass it on as is */
			it = best->head;
			best->head = jv_null();
			advance(best);
			*item = it;
			return 1;
		}
		if (seen(f, best->head_ts, best->src.network, best->head_id)) {
			advance(best);
			continue;
		}
		it = best->head;	/* moved: the only reference */
		best->head = jv_null();
		labels = jv_copy(best->labels);	/* a record a source: made once */
		/* the same post at the head of other sources: one record */
		for (i = 0; i < f->n; i++) {
			s = &f->s[i];
			if (s != best && s->state == S_READY &&
			    strcmp(s->src.network, best->src.network) == 0 &&
			    s->head_id != NULL && strcmp(s->head_id, best->head_id) == 0) {
				labels = jv_array_concat(labels, jv_copy(s->labels));
				advance(s);
			}
		}
		advance(best);
		*item = jv_object_set(it, jv_copy(f->srckey), labels);
		return 1;
	}
}

void
th_feed_free(struct th_feed *f)
{
	struct th_api_res res;
	int i;

	if (f == NULL)
		return;
	/* requests still in flight are finished and dropped */
	while (f->inflight > 0 && th_api_next(&res) != NULL) {
		th_api_res_free(&res);
		f->inflight--;
	}
	for (i = 0; i < f->n; i++) {
		done(&f->s[i]);
		free(f->s[i].label);
		jv_free(f->s[i].labels);
		f->s[i].src.ops->free(f->s[i].src.self);
		jv_free(f->s[i].skip);
	}
	for (i = 0; i < f->ncur; i++)
		free(f->cur[i].id);
	free(f->cur);
	free(f->s);
	jv_free(f->srckey);
	free(f);
}
