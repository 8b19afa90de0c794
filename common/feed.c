/*
 * feed: the merged timeline. Every source is a cursor-paged list edge
 * holding at most one page; the merge takes the newest head among them.
 * A source whose page runs out is refilled only when its next post is
 * needed to choose, so -n 10 over fifty sources reads fifty first pages
 * and nothing more, and a long read keeps one page per source in memory.
 * Duplicates (one post seen by two sources) carry the same timestamp, so
 * only the ids emitted at the current timestamp are remembered. Ids are
 * compared within one network only: a fediverse server names its posts
 * as it likes, and must never stand in for a Threads post.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap.h"
#include "api.h"
#include "cli.h"
#include "feed.h"
#include "http.h"
#include "json.h"

enum sstate { S_NEED, S_PENDING, S_READY, S_DONE };
enum network { THREADS, FEDIVERSE };

struct src {
	char		*label, *path;
	enum network	 net;		/* where its ids come from */
	jv		 params;	/* owned */
	int		 ordered;
	enum sstate	 state;
	int		 more;		/* a next page to fetch */
	char		*after;		/* THREADS: cursor of the next page */
	struct th_circle circle;	/* THREADS: cursors and pages read */
	jv		 page;		/* the current page's data */
	int		 idx, n;
	jv		 head;		/* a copy of page[idx] */
	long long	 since;		/* the source's cursor, 0 for none */
	jv		 skip;		/* ids at the cursor's second, taken before */
	long long	 head_ts;
	char		*head_id;
	struct th_ap	*ap;		/* FEDIVERSE: the account */
	char		*fields;	/* its records' fields, or NULL: all */
	struct th_api_req req;
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
		enum network	 net;
		char		*id;
	}		*cur;		/* posts emitted at cur_ts */
	int		 ncur;
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
	th_http_set_parallel(f->parallel);
	return f;
}

void
th_feed_add(struct th_feed *f, const char *label, const char *path, jv params,
    int ordered)
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
	if ((s->label = strdup(label)) == NULL || (s->path = strdup(path)) == NULL)
		th_die(TH_EIO, "out of memory");
	s->net = THREADS;
	s->params = params;
	s->ordered = ordered;
	s->state = S_NEED;
	s->page = jv_null();
	s->head = jv_null();
	s->skip = jv_array();
}

void
th_feed_add_fedi(struct th_feed *f, const char *label, const char *source,
    const char *fields)
{
	th_feed_add(f, label, source, jv_object(), 1);
	f->s[f->n - 1].net = FEDIVERSE;
	f->s[f->n - 1].ap = th_ap_new(source, f->pagesize, 0);
	f->s[f->n - 1].fields = th_strdup(fields);
}

/* Is name one of fields ("id,text,children{media_url}")? */
static int
wanted(const char *fields, const char *name)
{
	size_t n = strlen(name), k;
	const char *p = fields;

	while (*p != '\0') {
		k = strcspn(p, ",{");
		if (k == n && strncmp(p, name, n) == 0)
			return 1;
		p += k;
		if (*p == '{') {	/* a nested selection: past its braces */
			int depth = 0;
			for (; *p != '\0'; p++) {
				if (*p == '{')
					depth++;
				else if (*p == '}' && --depth == 0) {
					p++;
					break;
				}
			}
		}
		if (*p == ',')
			p++;
	}
	return 0;
}

/* A fediverse page with only the fields asked for, as the API does. */
static jv
pick(jv page, const char *fields)
{
	jv out = jv_array(), keys;

	jv_array_foreach(page, i, rec) {
		keys = jv_keys(jv_copy(rec));
		jv_array_foreach(keys, j, k) {
			if (!wanted(fields, jv_string_value(k)))
				rec = jv_object_delete(rec, jv_copy(k));
			jv_free(k);
		}
		jv_free(keys);
		out = jv_array_append(out, rec);
	}
	jv_free(page);
	return out;
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
	free(s->after);
	s->after = NULL;
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

/* Does the edge take since/until? A post's replies and conversation do
 * not (threads-api.md §4.6): the window is applied here alone. */
static int
windowed(const char *path)
{
	if (strstr(path, "/conversation") != NULL)
		return 0;
	return strstr(path, "/replies") == NULL || strncmp(path, "me/", 3) == 0;
}

static void
submit(struct th_feed *f, struct src *s)
{
	struct th_api_res res;
	const char *url, *accept;
	char buf[32];
	jv p;
	long long since = f->since > s->since ? f->since : s->since;

	if (s->net == FEDIVERSE) {
		if ((url = th_ap_url(s->ap, &accept)) == NULL) {
			done(s);
			return;
		}
		s->req.udata = s;
		th_api_fetch(&s->req, url, accept);
		s->state = S_PENDING;
		f->inflight++;
		return;
	}
	p = jv_copy(s->params);

	snprintf(buf, sizeof(buf), "%d", f->pagesize);
	p = jv_object_set(p, jv_string("limit"), jv_string(buf));
	if (f->apiwindow && windowed(s->path) && since > 0) {
		snprintf(buf, sizeof(buf), "%lld", since);
		p = jv_object_set(p, jv_string("since"), jv_string(buf));
	}
	if (f->apiwindow && windowed(s->path) && f->until > 0) {
		snprintf(buf, sizeof(buf), "%lld", f->until);
		p = jv_object_set(p, jv_string("until"), jv_string(buf));
	}
	if (s->after != NULL)
		p = jv_object_set(p, jv_string("after"), jv_string(s->after));
	s->req.udata = s;
	if (th_api_submit(&s->req, s->path, p, &res) != 0) {
		f->status = th_status_merge(f->status, th_msg(res.status, "%s: %s",
		    s->label, res.why));
		th_api_res_free(&res);
		done(s);
		return;
	}
	s->state = S_PENDING;
	f->inflight++;
}

/* The permission a path needs, for a message that says what to do. */
static const char *
permission(const char *path)
{
	if (strncmp(path, "profile_", 8) == 0)
		return "threads_profile_discovery";
	if (strcmp(path, "keyword_search") == 0)
		return "threads_keyword_search";
	if (strstr(path, "mentions") != NULL)
		return "threads_manage_mentions";
	if (strstr(path, "replies") != NULL || strstr(path, "conversation") != NULL)
		return "threads_read_replies";
	return "threads_basic";
}

/* A source's request failed: report it, naming the source. Returns a
 * status that stops everything (a dead token), or 0. */
static int
failed(struct th_feed *f, struct src *s, struct th_api_res *res)
{
	long code = th_api_errcode(res, "code"), sub = th_api_errcode(res, "error_subcode");
	int st = res->status;

	if (st == TH_EAUTH && (code == 190 || code == 102 || code < 0)) {
		th_msgj(st, res->error, "%s: %s", s->label, res->why);
		return st;	/* the token: no source will do better */
	}
	if (code == 10 || (code >= 200 && code <= 299)) {
		if (sub == 4279067)
			th_msgj(TH_EFAIL, res->error, "%s: skipped: the app's access "
			    "tier does not reach this: %s needs advanced access, "
			    "granted by Meta's App Review (until then it reaches "
			    "only a few accounts)", s->label, permission(s->path));
		else
			th_msgj(TH_EFAIL, res->error, "%s: skipped: the app or the "
			    "token lacks the %s permission (%s)", s->label,
			    permission(s->path), res->why);
		st = TH_EFAIL;
	} else if (st == TH_EFAIL && code == 100 && strncmp(s->path, "profile_", 8) == 0)
		th_msgj(st, res->error, "%s: skipped: no such user, or not a "
		    "public profile the API may read (%s)", s->label, res->why);
	else
		th_msgj(st, res->error, "%s: skipped: %s", s->label, res->why);
	f->status = th_status_merge(f->status, st);
	return 0;
}

/* A fediverse source's answer: another document to fetch, a page of
 * posts, or a failure that drops the source alone. */
static int
fedi(struct th_feed *f, struct src *s, struct th_api_res *res)
{
	const char *accept;
	char why[1024];
	jv data;
	enum th_ap_step st = th_ap_answer(s->ap, res, &data, why, sizeof(why));

	th_api_res_free(res);
	if (st == TH_AP_FAIL) {
		f->status = th_status_merge(f->status, th_msg(th_ap_exit(s->ap),
		    "%s: skipped: %s", s->label, why));
		done(s);
		return 0;
	}
	if (why[0] != '\0')
		th_msg(0, "%s: %s", s->label, why);
	s->more = th_ap_url(s->ap, &accept) != NULL;
	if (st == TH_AP_MORE) {
		s->state = s->more ? S_NEED : S_DONE;
		return 0;
	}
	if (s->fields != NULL)
		data = pick(data, s->fields);
	jv_free(s->page);
	s->page = data;
	s->n = jv_array_length(jv_copy(data));
	s->idx = 0;
	sethead(s);	/* an empty page with more after it: S_NEED */
	return 0;
}

/* Wait for one request; returns a status that stops everything, or 0. */
static int
collect(struct th_feed *f)
{
	struct th_api_res res;
	struct th_api_req *q;
	struct src *s;
	char *after;
	jv data;
	int rc = 0;

	if ((q = th_api_next(&res)) == NULL) {
		f->inflight = 0;
		return 0;
	}
	s = q->udata;
	f->inflight--;
	f->pages++;
	if (res.status != 0) {
		rc = failed(f, s, &res);
		th_api_res_free(&res);
		done(s);
		return rc;
	}
	if (s->net == FEDIVERSE)
		return fedi(f, s, &res);
	data = jv_object_get(jv_copy(res.body), jv_string("data"));
	if (jv_get_kind(data) != JV_KIND_ARRAY) {
		jv_free(data);
		f->status = th_status_merge(f->status, th_msg(TH_EUNAVAIL,
		    "%s: skipped: the answer is not a list", s->label));
		th_api_res_free(&res);
		done(s);
		return 0;
	}
	/* the next cursor, only when the answer says there is more */
	after = th_api_nextcursor(res.body);
	th_api_res_free(&res);
	free(s->after);
	s->after = after;
	jv_free(s->page);
	s->page = data;
	s->n = jv_array_length(jv_copy(data));
	s->idx = 0;
	if (s->n == 0)
		s->after = (free(s->after), NULL);	/* an empty page ends it */
	else if (th_api_circle(&s->circle, s->page, &s->after, s->label))
		s->n = 0;	/* a page read before: nothing new */
	s->more = s->after != NULL;
	sethead(s);
	return 0;
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
seen(struct th_feed *f, long long ts, enum network net, const char *id)
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
		if (f->cur[i].net == net && strcmp(f->cur[i].id, id) == 0)
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
			if (best->ordered)
				done(best);	/* the rest is older still */
			else
				advance(best);
			continue;
		}
		if (best->since > 0 && best->head_ts >= 0 && best->head_ts < best->since) {
			if (best->ordered)
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
		if (seen(f, best->head_ts, best->net, best->head_id)) {
			advance(best);
			continue;
		}
		it = best->head;	/* moved: the only reference */
		best->head = jv_null();
		labels = jv_array_append(jv_array(), jv_string(best->label));
		/* the same post at the head of other sources: one record */
		for (i = 0; i < f->n; i++) {
			s = &f->s[i];
			if (s != best && s->state == S_READY && s->net == best->net &&
			    s->head_id != NULL && strcmp(s->head_id, best->head_id) == 0) {
				labels = jv_array_append(labels, jv_string(s->label));
				advance(s);
			}
		}
		advance(best);
		*item = jv_object_set(it, jv_string("th_sources"), labels);
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
		free(f->s[i].path);
		th_ap_free(f->s[i].ap);
		free(f->s[i].fields);
		jv_free(f->s[i].params);
		jv_free(f->s[i].skip);
		th_api_circle_free(&f->s[i].circle);
	}
	for (i = 0; i < f->ncur; i++)
		free(f->cur[i].id);
	free(f->cur);
	free(f->s);
	free(f);
}
