/*
 * src-threads: a Threads list edge read as a feed source. Pages go by
 * the after cursor (never paging.next, which carries the token); the
 * window goes to the API as since/until where the edge takes them; a
 * server whose paging goes in a circle is stopped (th_api_circle). A
 * request that fails says what it means for this edge: a dead token
 * ends the whole feed, a missing permission is named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "msg.h"
#include "src-threads.h"

struct threads {
	char		*label, *path;
	jv		 params;	/* owned */
	int		 started;
	char		*after;		/* cursor of the next page, or NULL */
	struct th_circle circle;	/* cursors and pages read */
};

/* Does the edge take since/until? A post's replies, conversation and
 * pending replies do not (threads-api.md §4.6, §12.1): the window is
 * applied by the feed alone. */
static int
windowed(const char *path)
{
	if (strstr(path, "/conversation") != NULL ||
	    strstr(path, "/pending_replies") != NULL)
		return 0;
	return strstr(path, "/replies") == NULL || strncmp(path, "me/", 3) == 0;
}

static int
next(void *self, const struct th_src_window *w, struct th_src_req *r)
{
	struct threads *t = self;
	char buf[32];
	jv p;

	if (t->started && t->after == NULL)
		return 0;
	t->started = 1;
	p = jv_copy(t->params);
	snprintf(buf, sizeof(buf), "%d", w->pagesize);
	p = jv_object_set(p, jv_string("limit"), jv_string(buf));
	if (w->api && windowed(t->path) && w->since > 0) {
		snprintf(buf, sizeof(buf), "%lld", w->since);
		p = jv_object_set(p, jv_string("since"), jv_string(buf));
	}
	if (w->api && windowed(t->path) && w->until > 0) {
		snprintf(buf, sizeof(buf), "%lld", w->until);
		p = jv_object_set(p, jv_string("until"), jv_string(buf));
	}
	if (t->after != NULL)
		p = jv_object_set(p, jv_string("after"), jv_string(t->after));
	jv_free(r->params);
	r->path = t->path;
	r->params = p;
	return 1;
}

/* The request failed: what that means for this source, or for all. The
 * words are th_api_reason()'s, the one shape of an error line. */
static enum th_src_yield
failed(const struct th_api_res *res, struct th_src_answer *a)
{
	long code = th_api_errcode(res, "code");
	char reason[1024];

	a->detail = jv_copy(res->error);
	a->status = res->status;
	th_api_reason(res, reason, sizeof(reason));
	if (res->status == TH_EAUTH && (code == 190 || code == 102 || code < 0)) {
		snprintf(a->why, sizeof(a->why), "%s", reason);
		return TH_SRC_FATAL;	/* the token: no source will do better */
	}
	if (code == 10 || (code >= 200 && code <= 299))
		a->status = TH_EFAIL;	/* a permission: the other sources go on */
	snprintf(a->why, sizeof(a->why), "skipped: %s", reason);
	return TH_SRC_FAILED;
}

static enum th_src_yield
answer(void *self, const struct th_api_res *res, struct th_src_answer *a)
{
	struct threads *t = self;
	jv data;

	if (res->status != 0)
		return failed(res, a);
	data = jv_object_get(jv_copy(res->body), jv_string("data"));
	if (jv_get_kind(data) != JV_KIND_ARRAY) {
		jv_free(data);
		a->status = TH_EUNAVAIL;
		snprintf(a->why, sizeof(a->why), "skipped: the answer is not a list");
		return TH_SRC_FAILED;
	}
	/* the next cursor, only when the answer says there is more */
	free(t->after);
	t->after = th_api_nextcursor(res->body);
	if (jv_array_length(jv_copy(data)) == 0)
		t->after = (free(t->after), NULL);	/* an empty page ends it */
	else if (th_api_circle(&t->circle, data, &t->after, t->label)) {
		jv_free(data);			/* a page read before: nothing new */
		data = jv_array();
	}
	a->records = data;
	a->more = t->after != NULL;
	return TH_SRC_RECORDS;
}

static void
threadsfree(void *self)
{
	struct threads *t = self;

	jv_free(t->params);
	th_api_circle_free(&t->circle);
	free(t->after);
	free(t->label);
	free(t->path);
	free(t);
}

static const struct th_source_ops ops = { next, answer, threadsfree };

struct th_source
th_src_threads(const char *label, const char *path, jv params, int ordered)
{
	struct threads *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		th_die(TH_EIO, "out of memory");
	t->label = th_strdup(label);
	t->path = th_strdup(path);
	t->params = params;
	return (struct th_source){ &ops, t, "threads", ordered };
}
