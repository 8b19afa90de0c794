/*
 * t-feed: the merge over sources that a test writes itself (source.h):
 * the order across sources, one record for a post that two sources of
 * one network hold and two for two networks, pages fetched only when the
 * merge needs them, the window and the --new cursor, a source that fails
 * and one that ends everything. The requests go through http's fake (no
 * server). Then the Threads source's own rules, driven by hand: the
 * request it makes and what it makes of answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jv.h>

#include "api.h"
#include "config.h"
#include "feed.h"
#include "http.h"
#include "json.h"
#include "msg.h"
#include "source.h"
#include "src-threads.h"
#include "tap.h"

/* A source of canned pages, served at https://NAME.example/PAGE. */
struct fake {
	const char	*name, *network;
	int		 ordered;
	const char	*pages[4];	/* JSON arrays of records */
	int		 npages;
	int		 fail;		/* this page gets no answer; -1: none */
	int		 fatal;		/* and that ends the whole feed (77) */
	int		 at;		/* the next page */
	int		 fetched;	/* requests made */
	long long	 since, until;	/* the last window it was told */
	int		 freed;
	char		 url[128];
};

static struct fake *fakes[8];
static int nfakes;

static int
fakenext(void *self, const struct th_src_window *w, struct th_src_req *r)
{
	struct fake *f = self;

	f->since = w->since;
	f->until = w->until;
	if (f->at >= f->npages)
		return 0;
	snprintf(f->url, sizeof(f->url), "https://%s.example/%d", f->name, f->at);
	r->url = f->url;
	r->accept = "application/json";
	f->fetched++;
	return 1;
}

static enum th_src_yield
fakeanswer(void *self, const struct th_api_res *res, struct th_src_answer *a)
{
	struct fake *f = self;

	if (res->status != 0) {
		a->status = f->fatal ? TH_EAUTH : res->status;
		snprintf(a->why, sizeof(a->why), "%s%s", f->fatal ? "" :
		    "skipped: ", res->why);
		return f->fatal ? TH_SRC_FATAL : TH_SRC_FAILED;
	}
	jv_free(a->records);
	a->records = jv_copy(res->body);
	a->more = ++f->at < f->npages;
	if (f->at == 1 && strcmp(f->name, "warn") == 0)
		snprintf(a->why, sizeof(a->why), "a warning");
	return TH_SRC_RECORDS;
}

static void
fakefree(void *self)
{
	((struct fake *)self)->freed = 1;
}

static const struct th_source_ops fakeops = { fakenext, fakeanswer, fakefree };

static struct th_source
source(struct fake *f)
{
	fakes[nfakes++] = f;
	return (struct th_source){ &fakeops, f, f->network, f->ordered };
}

/* http's fake: the page a URL names, or no answer for a failing one. */
static void
serve(struct th_http_req *r)
{
	char name[64];
	int i, page;

	if (sscanf(r->url, "https://%63[^.].example/%d", name, &page) == 2)
		for (i = 0; i < nfakes; i++) {
			if (strcmp(fakes[i]->name, name) != 0)
				continue;
			if (page == fakes[i]->fail) {
				r->err = TH_HTTP_ENET;
				strlcpy(r->errbuf, "Connection reset by peer",
				    sizeof(r->errbuf));
				return;
			}
			r->status = 200;
			r->resp = strdup(fakes[i]->pages[page]);
			r->len = strlen(r->resp);
			return;
		}
	r->status = 404;
	r->resp = strdup("{}");
	r->len = 2;
}

static FILE *errf;

/* What went to stderr since the last call. */
static const char *
errs(void)
{
	static char buf[2048];
	size_t n;

	fflush(stderr);
	rewind(errf);
	n = fread(buf, 1, sizeof(buf) - 1, errf);
	buf[n] = '\0';
	if (ftruncate(fileno(errf), 0) != 0)
		buf[0] = '\0';
	rewind(errf);
	return buf;
}

static char got[2048];
static int rc;

/* Read f to its end (or at most max posts): "id[label,label] ...". */
static const char *
drain(struct th_feed *f, int max)
{
	jv item;
	size_t n;

	got[0] = '\0';
	while (max-- != 0 && (rc = th_feed_next(f, &item)) == 1) {
		char *id = th_jv_idstr(item, "id");
		jv l = jv_object_get(item, jv_string("th_sources"));
		n = strlen(got);
		snprintf(got + n, sizeof(got) - n, "%s%s[", n ? " " : "",
		    id ? id : "-");
		if (jv_get_kind(l) == JV_KIND_ARRAY)
			jv_array_foreach(l, i, e) {
				n = strlen(got);
				snprintf(got + n, sizeof(got) - n, "%s%s",
				    i ? "," : "", jv_string_value(e));
				jv_free(e);
			}
		jv_free(l);
		n = strlen(got);
		snprintf(got + n, sizeof(got) - n, "]");
		free(id);
	}
	return got;
}

#define P(id, h)	"{\"id\":\"" id "\",\"timestamp\":\"2026-11-20T" h ":00:00+0000\"}"

/* A feed over the fakes fs, named by one letter each of labels. */
static struct th_feed *
feed(const char *labels, struct fake **fs)
{
	struct th_feed *f = th_feed_new(8);
	char l[2] = "";

	nfakes = 0;
	errs();
	for (; *labels != '\0'; labels++, fs++) {
		l[0] = *labels;
		th_feed_add(f, l, source(*fs));
	}
	return f;
}

static void
merge(void)
{
	struct fake a = { .name = "a", .network = "one", .ordered = 1,
	    .pages = { "[" P("a1", "10") "," P("a2", "08") "," P("a3", "06") "]" },
	    .npages = 1, .fail = -1 };
	struct fake b = { .name = "b", .network = "one", .ordered = 1,
	    .pages = { "[" P("b1", "09") "," P("b2", "07") "," P("b3", "05") "]" },
	    .npages = 1, .fail = -1 };
	struct fake c = { .name = "c", .network = "one", .ordered = 1,
	    .pages = { "[" P("b1", "09") "," P("c1", "04") "]" },
	    .npages = 1, .fail = -1 };
	struct fake d = { .name = "d", .network = "two", .ordered = 1,
	    .pages = { "[" P("b1", "09") "]" },
	    .npages = 1, .fail = -1 };
	struct th_feed *f;

	f = feed("ABCD", (struct fake *[]){ &a, &b, &c, &d });
	is_str(drain(f, -1), "a1[A] b1[B,C] b1[D] a2[A] b2[B] a3[A] b3[B] c1[C]",
	    "newest first across sources; one post held by two sources of one "
	    "network is one record naming both, and another network's post "
	    "with the same id stays apart");
	is_int(rc, 0, "  the end");
	is_int(th_feed_status(f), 0, "  no failure");
	is_str(errs(), "", "  nothing said");
	th_feed_free(f);
	ok(a.freed && b.freed && c.freed && d.freed, "the sources are freed with the feed");
}

static void
refill(void)
{
	struct fake a = { .name = "a", .network = "one", .ordered = 1,
	    .pages = { "[" P("a1", "10") "," P("a2", "06") "]",
	    "[" P("a3", "04") "," P("a4", "02") "]" },
	    .npages = 2, .fail = -1 };
	struct fake b = { .name = "b", .network = "one", .ordered = 1,
	    .pages = { "[" P("b1", "09") "," P("b2", "05") ","
	    P("b3", "03") "]" },
	    .npages = 1, .fail = -1 };
	struct fake e = { .name = "e", .network = "one", .ordered = 1,
	    .pages = { "[]", "[" P("e1", "07") "]" },
	    .npages = 2, .fail = -1 };
	struct th_feed *f;

	f = feed("ABE", (struct fake *[]){ &a, &b, &e });
	is_str(drain(f, 3), "a1[A] b1[B] e1[E]", "the first three posts");
	is_int(a.fetched, 1, "  A's second page is not fetched before it is needed");
	is_int(e.fetched, 2, "  an empty page with more after it: the next is fetched");
	is_int(th_feed_pages(f), 4, "  four pages in all");
	is_str(drain(f, -1), "a2[A] b2[B] a3[A] b3[B] a4[A]",
	    "the rest, A refilled when its next post was needed");
	is_int(a.fetched, 2, "  each page once");
	th_feed_free(f);
}

static void
failures(void)
{
	struct fake a = { .name = "a", .network = "one", .ordered = 1,
	    .pages = { "[" P("a1", "10") "," P("a2", "08") "]" },
	    .npages = 1, .fail = -1 };
	struct fake b = { .name = "b", .network = "one", .ordered = 1,
	    .pages = { "[" P("b1", "09") "]" },
	    .npages = 1, .fail = 0 };
	struct fake c = { .name = "c", .network = "one", .ordered = 1,
	    .pages = { "[" P("c1", "07") "]", "[" P("c2", "03") "]" },
	    .npages = 2, .fail = 1 };
	struct fake w = { .name = "warn", .network = "one", .ordered = 1,
	    .pages = { "[" P("w1", "01") "]" },
	    .npages = 1, .fail = -1 };
	struct fake x = { .name = "x", .network = "one", .ordered = 1,
	    .pages = { "[" P("x1", "09") "]" },
	    .npages = 1, .fail = 0, .fatal = 1 };
	struct th_feed *f;

	f = feed("ABCW", (struct fake *[]){ &a, &b, &c, &w });
	is_str(drain(f, -1), "a1[A] a2[A] c1[C] w1[W]",
	    "a source that fails is dropped, the others stream");
	is_int(rc, 0, "  to the end");
	is_int(th_feed_status(f), 69, "  and the failure is the feed's status");
	is_str(errs(), "t-feed: B: skipped: Connection reset by peer\n"
	    "t-feed: W: a warning\n"
	    "t-feed: C: skipped: Connection reset by peer\n",
	    "  said, naming the source (C on its second page); a warning too");
	th_feed_free(f);

	f = feed("AX", (struct fake *[]){ &a, &x });
	is_str(drain(f, -1), "", "a source whose failure ends everything");
	is_int(rc, 77, "  its status is the feed's answer");
	is_str(errs(), "t-feed: X: Connection reset by peer\n", "  said");
	th_feed_free(f);
}

static void
windows(void)
{
	struct fake a = { .name = "a", .network = "one", .ordered = 1,
	    .pages = { "[" P("a1", "10") "," P("a2", "08") ","
	    P("a3", "06") "]", "[" P("a4", "04") "]" },
	    .npages = 2, .fail = -1 };
	struct fake u = { .name = "u", .network = "one", .ordered = 0,
	    .pages = { "[" P("u1", "05") "," P("u2", "09") ","
	    P("u3", "07") "]", "[" P("u4", "08") "]" },
	    .npages = 2, .fail = -1 };
	struct fake n = { .name = "n", .network = "one", .ordered = 1,
	    .pages = { "[{\"note\":1}," P("n1", "09") "]" },
	    .npages = 1, .fail = -1 };
	struct th_feed *f;
	long long t7 = th_time_parse("2026-11-20T07:00:00+0000");
	long long t9 = th_time_parse("2026-11-20T09:00:00+0000");

	f = feed("AU", (struct fake *[]){ &a, &u });
	th_feed_window(f, t7, t9, 1);
	is_str(drain(f, -1), "a2[A] u2[U] u3[U] u4[U]",
	    "a window: only posts between its ends");
	is_int(a.fetched, 1, "  an ordered source is read no further than the start");
	is_int(u.fetched, 2, "  an unordered one to its end");
	ok(a.since == t7 && a.until == t9, "  the sources are told the window");
	th_feed_free(f);

	a.at = a.fetched = 0;
	f = feed("A", (struct fake *[]){ &a });
	th_feed_cursor(f, th_time_parse("2026-11-20T08:00:00+0000"),
	    jv_array_append(jv_array(), jv_string("a2")));
	is_str(drain(f, -1), "a1[A]", "a cursor: the posts at it taken before, and "
	    "older ones, are not taken again");
	ok(a.since == th_time_parse("2026-11-20T08:00:00+0000"),
	    "  the source is told the later of the window and its cursor");
	th_feed_free(f);

	f = feed("N", (struct fake *[]){ &n });
	is_str(drain(f, -1), "-[] n1[N]", "a record without an id is passed on as it is");
	th_feed_free(f);
}

/* The Threads source: the request it makes, what answers come to. */
static struct th_src_req req;

static const char *
request(struct th_source *s, long long since, long long until, int api)
{
	struct th_src_window w = { since, until, api, 25 };
	char *d;

	req.path = NULL;
	req.params = jv_null();
	if (!s->ops->next(s->self, &w, &req))
		return "(none)";
	d = th_json_dump(req.params);
	req.params = jv_null();
	snprintf(got, sizeof(got), "%s %s", req.path, d);
	free(d);
	return got;
}

static enum th_src_yield
reply(struct th_source *s, int status, const char *body, const char *error,
    struct th_src_answer *a)
{
	struct th_api_res res;
	enum th_src_yield y;

	memset(&res, 0, sizeof(res));
	res.status = status;
	res.body = body ? th_json_parse(body, strlen(body)) : jv_null();
	res.error = error ? th_json_parse(error, strlen(error)) : jv_null();
	snprintf(res.why, sizeof(res.why), "the reason");
	/* what api's finish() fills: the error cases below are answers
	 * to profile_posts */
	snprintf(res.method, sizeof(res.method), "GET");
	snprintf(res.path, sizeof(res.path), "profile_posts");
	a->records = a->detail = jv_null();
	a->more = a->status = 0;
	a->why[0] = '\0';
	y = s->ops->answer(s->self, &res, a);
	th_api_res_free(&res);
	return y;
}

static void
threads(void)
{
	struct th_source s = th_src_threads("@meta", "profile_posts",
	    jv_object_set(jv_object(), jv_string("username"), jv_string("meta")), 1);
	struct th_src_answer a;

	ok(strcmp(s.network, "threads") == 0 && s.ordered == 1,
	    "a Threads source: network threads, ordered as told");
	is_str(request(&s, 100, 200, 1), "profile_posts {\"username\":\"meta\","
	    "\"limit\":\"25\",\"since\":\"100\",\"until\":\"200\"}",
	    "its first request: the edge, its params, the page size and the window");
	is_int(reply(&s, 0, "{\"data\":[" P("1", "10") "],\"paging\":{\"cursors\":"
	    "{\"after\":\"CUR\"},\"next\":\"https://x\"}}", NULL, &a), TH_SRC_RECORDS,
	    "a page");
	ok(a.more && jv_array_length(jv_copy(a.records)) == 1, "  its record, and more to read");
	jv_free(a.records);
	is_str(request(&s, 0, 0, 1), "profile_posts {\"username\":\"meta\","
	    "\"limit\":\"25\",\"after\":\"CUR\"}", "  the next request: after the cursor");
	reply(&s, 0, "{\"data\":[" P("1", "10") "],\"paging\":{\"cursors\":"
	    "{\"after\":\"CUR\"},\"next\":\"https://x\"}}", NULL, &a);
	ok(!a.more && jv_array_length(jv_copy(a.records)) == 0,
	    "a cursor given before: nothing new, and the end");
	is_str(errs(), "t-feed: @meta: paging stopped: the next cursor was given "
	    "before (the pages go in a circle)\n", "  said, naming the source");
	jv_free(a.records);
	is_str(request(&s, 0, 0, 1), "(none)", "  no request after the end");
	s.ops->free(s.self);

	s = th_src_threads("#x", "123/replies", jv_object(), 0);
	is_str(request(&s, 100, 200, 1), "123/replies {\"limit\":\"25\"}",
	    "a post's replies take no window");
	is_int(reply(&s, 0, "{\"data\":[]}", NULL, &a), TH_SRC_RECORDS, "an empty page");
	ok(!a.more, "  ends the source");
	jv_free(a.records);
	s.ops->free(s.self);

	s = th_src_threads("@meta", "profile_posts", jv_object(), 1);
	is_int(reply(&s, 0, "{\"data\":{}}", NULL, &a), TH_SRC_FAILED,
	    "an answer that is not a list");
	ok(a.status == 69 && strcmp(a.why, "skipped: the answer is not a list") == 0,
	    "  fails the source: 69");
	is_int(reply(&s, 77, NULL, "{\"code\":190}", &a), TH_SRC_FATAL,
	    "an expired token (190) ends the whole feed");
	ok(a.status == 77 && strcmp(a.why, "the token is not valid: run th-auth "
	    "login (API: error, code 190)") == 0 &&
	    jv_get_kind(a.detail) == JV_KIND_OBJECT, "  77, the reason, the API's detail");
	jv_free(a.detail);
	is_int(reply(&s, 77, NULL, "{\"code\":10}", &a), TH_SRC_FAILED,
	    "a missing permission (10) fails the source alone");
	is_str(a.why, "skipped: the app or the token lacks the "
	    "threads_profile_discovery permission (API: error, code 10)",
	    "  naming it");
	is_int(a.status, 1, "  exit 1");
	jv_free(a.detail);
	reply(&s, 77, NULL, "{\"code\":10,\"error_subcode\":4279067}", &a);
	is_str(a.why, "skipped: the app's access tier does not reach this: "
	    "threads_profile_discovery needs advanced access, granted by Meta's "
	    "App Review; until then it reaches only a few accounts (API: error, "
	    "code 10/4279067)",
	    "the access tier (4279067) said as such");
	jv_free(a.detail);
	reply(&s, 1, NULL, "{\"code\":100}", &a);
	is_str(a.why, "skipped: no such user, or not a public profile the API may "
	    "read (API: error, code 100)", "no such profile (100)");
	jv_free(a.detail);
	s.ops->free(s.self);
}

int
main(void)
{
	/* nothing is read or written there: the feed keeps no files */
	static const char *home[] = { "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
	    "XDG_STATE_HOME" };
	size_t i;

	for (i = 0; i < sizeof(home) / sizeof(home[0]); i++)
		setenv(home[i], "/nonexistent/t-feed", 1);
	if ((errf = tmpfile()) == NULL || th_config_load() != 0 ||
	    th_http_configure(&(struct th_http_conf){
	    .api_base = "http://127.0.0.1:9", .timeout = 30, .connect_timeout = 5,
	    .low_speed_time = 30, .retries = 0, .backoff_ms = 1,
	    .max_body = 1 << 20 }) != 0)
		return 1;
	th_http_set_fake(serve);
	fflush(stderr);
	if (dup2(fileno(errf), STDERR_FILENO) == -1)
		return 1;
	merge();
	refill();
	failures();
	windows();
	threads();
	th_http_set_fake(NULL);
	return done_testing();
}
