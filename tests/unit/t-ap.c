/*
 * t-ap: the fediverse reader's stages, one answer at a time, on the
 * recorded documents in tests/data/ap-*.json (copies of
 * ../shared/fixtures, whose SOURCES.md says where each was recorded):
 * WebFinger, the actor, the outbox and its pages, objects fetched one by
 * one, Mastodon's API when ActivityPub is refused, redirects, and the
 * cache of what an account resolved to. No request goes out: each
 * answer is handed to th_ap_answer() as th_api_fetch() would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jv.h>

#include "ap.h"
#include "api.h"
#include "config.h"
#include "json.h"
#include "msg.h"
#include "tap.h"

#define AS	"application/activity+json"	/* the Accept's start */

/* ActivityStreams in a few words: a page of items, a Create of obj on
 * day (the 20th of November 2026 at hour h), a Note, a URL. */
#define PAGE(next, items) "{\"type\":\"OrderedCollectionPage\"" next \
	",\"orderedItems\":[" items "]}"
#define CREATE(h, obj)	"{\"type\":\"Create\",\"published\":" \
	"\"2026-11-20T" h ":00:00Z\",\"object\":" obj "}"
#define NOTE(n, text)	"{\"type\":\"Note\",\"id\":" \
	"\"https://mastodon.social/n/" n "\",\"content\":\"" text "\"}"
#define URL(u)		"\"" u "\""

static char why[1024];
static const char *datadir;

/* A recorded document of tests/data, parsed. */
static jv
doc(const char *name)
{
	char path[1024], *buf;
	FILE *f;
	long n;
	jv v;

	snprintf(path, sizeof(path), "%s/%s", datadir, name);
	if ((f = fopen(path, "r")) == NULL) {
		printf("# cannot read %s\n", path);
		return jv_null();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	v = th_json_parse(buf ? buf : "", (size_t)n);
	free(buf);
	return v;
}

static jv
text(const char *json)
{
	return th_json_parse(json, strlen(json));
}

/* Answer a's request with HTTP status http and body (consumed; the
 * Location header loc, or NULL). *posts: the page on TH_AP_PAGE (the
 * caller's), else jv_null(). */
static enum th_ap_step
answer(struct th_ap *a, long http, jv body, const char *loc, jv *posts)
{
	struct th_api_res res;
	enum th_ap_step st;
	jv p;

	memset(&res, 0, sizeof(res));
	res.http = http;
	res.body = body;
	res.error = jv_null();
	res.location = (char *)loc;
	st = th_ap_answer(a, &res, &p, why, sizeof(why));
	jv_free(body);
	if (posts != NULL && st == TH_AP_PAGE)
		*posts = p;
	else {
		jv_free(p);
		if (posts != NULL)
			*posts = jv_null();
	}
	return st;
}

/* The URL a fetches next, "" at the end; *acc its Accept. */
static const char *
next(struct th_ap *a, const char **acc)
{
	const char *u, *dummy;

	u = th_ap_url(a, acc ? acc : &dummy);
	return u ? u : "";
}

/* Field k of every record of posts (borrowed), joined by '|'. */
static const char *
col(jv posts, const char *k)
{
	static char out[4096];
	size_t n;

	out[0] = '\0';
	jv_array_foreach(posts, i, r) {
		char *s = th_jv_strdup(r, k);
		n = strlen(out);
		snprintf(out + n, sizeof(out) - n, "%s%s", i ? "|" : "",
		    s ? s : "-");
		free(s);
		jv_free(r);
	}
	return out;
}

/* An account read from WebFinger to its outbox, with the recorded
 * Gargron documents; fresh: not from the cache. */
static struct th_ap *
gargron(int fresh)
{
	struct th_ap *a = th_ap_new("@gargron@mastodon.social", 20, fresh);

	if (strstr(next(a, NULL), "/.well-known/webfinger") != NULL)
		answer(a, 200, doc("ap-mastodon-webfinger-gargron-2024-04-live.json"),
		    NULL, NULL);
	if (strcmp(next(a, NULL), "https://mastodon.social/users/Gargron") == 0)
		answer(a, 200, doc("ap-mastodon-actor-gargron-2024-04-live.json"),
		    NULL, NULL);
	return a;
}

/* The recorded Gargron outbox items as one OrderedCollectionPage. */
static jv
gargronpage(void)
{
	jv items = doc("ap-mastodon-outbox-items-gargron-2023-04-live.json");
	jv page = text("{\"type\":\"OrderedCollectionPage\",\"id\":"
	    "\"https://mastodon.social/users/Gargron/outbox?page=true\"}");

	return jv_object_set(page, jv_string("orderedItems"),
	    jv_object_get(items, jv_string("activities")));
}

static void
discovery(void)
{
	struct th_ap *a = th_ap_new("@gargron@mastodon.social", 20, 1);
	const char *acc;
	jv posts;

	is_str(next(a, &acc), "https://mastodon.social/.well-known/webfinger?"
	    "resource=acct%3Agargron%40mastodon.social",
	    "@user@host starts at the host's WebFinger");
	is_str(acc, "application/jrd+json, application/json", "  asking for JRD");
	is_int(answer(a, 200, doc("ap-mastodon-webfinger-gargron-2024-04-live.json"),
	    NULL, NULL), TH_AP_MORE, "the recorded WebFinger answer: more to fetch");
	is_str(next(a, &acc), "https://mastodon.social/users/Gargron",
	    "  the actor its self link names");
	ok(strncmp(acc, AS, strlen(AS)) == 0, "  asked for as ActivityStreams");
	is_int(answer(a, 200, doc("ap-mastodon-actor-gargron-2024-04-live.json"),
	    NULL, NULL), TH_AP_MORE, "the recorded actor: more to fetch");
	is_str(next(a, NULL), "https://mastodon.social/users/Gargron/outbox",
	    "  its outbox");
	is_int(answer(a, 200, gargronpage(), NULL, &posts), TH_AP_PAGE,
	    "the recorded outbox items: a page");
	is_str(col(posts, "media_type"), "TEXT_POST|REPOST_FACADE|REPOST_FACADE",
	    "  a post and two boosts, newest first");
	is_str(col(posts, "timestamp"), "2023-04-12T16:02:55+0000|"
	    "2023-04-12T14:59:07+0000|2023-04-11T15:09:36+0000", "  their dates");
	is_str(col(posts, "username"), "Gargron@mastodon.social|"
	    "Gargron@mastodon.social|Gargron@mastodon.social",
	    "  named as WebFinger's subject spells the account");
	is_str(why, "", "  and nothing to say");
	is_str(next(a, NULL), "", "  a page without next is the last");
	jv_free(posts);
	th_ap_free(a);

	a = th_ap_new("@gargron@mastodon.social", 20, 1);
	answer(a, 200, doc("ap-threads-webfinger-mosseri-2024-04-live.json"), NULL,
	    NULL);
	answer(a, 200, text("{\"outbox\":\"https://mastodon.social/users/x/outbox\","
	    "\"preferredUsername\":\"x\"}"), NULL, NULL);
	is_int(answer(a, 200, gargronpage(), NULL, &posts), TH_AP_PAGE,
	    "WebFinger's subject on another host (acct:mosseri@threads.net)");
	is_str(col(posts, "username"), "gargron@mastodon.social|"
	    "gargron@mastodon.social|gargron@mastodon.social",
	    "  is not taken: the account is named as written");
	jv_free(posts);
	th_ap_free(a);

	a = th_ap_new("@nobody@mastodon.social", 20, 1);
	is_int(answer(a, 404, text("{}"), NULL, NULL), TH_AP_FAIL,
	    "WebFinger 404: the source fails");
	is_str(why, "no such account on mastodon.social (WebFinger: HTTP 404)",
	    "  no such account");
	is_int(th_ap_exit(a), 1, "  exit 1");
	th_ap_free(a);

	a = th_ap_new("@a@m.example", 20, 1);
	is_int(answer(a, 200, jv_null(), NULL, NULL), TH_AP_FAIL,
	    "WebFinger that is not JSON (a parked domain's page)");
	is_str(why, "m.example's WebFinger did not answer with JSON (HTTP 200)",
	    "  said so");
	th_ap_free(a);

	a = th_ap_new("@a@m.example", 20, 1);
	answer(a, 200, text("{\"links\":[{\"rel\":\"self\",\"type\":"
	    "\"application/activity+json\",\"href\":\"http://m.example/u/a\"}]}"),
	    NULL, NULL);
	is_str(why, "m.example's WebFinger names no https ActivityPub actor for "
	    "the account", "an actor that is not https is refused");
	th_ap_free(a);
}

static void
redirects(void)
{
	struct th_ap *a = th_ap_new("@a@a.example", 20, 1);
	int i;

	is_int(answer(a, 301, jv_null(), "https://m.example/.well-known/webfinger?"
	    "resource=acct%3Aa%40a.example", NULL), TH_AP_MORE,
	    "a WebFinger redirect is followed");
	is_str(next(a, NULL), "https://m.example/.well-known/webfinger?"
	    "resource=acct%3Aa%40a.example", "  to where it points");
	answer(a, 307, jv_null(), "/again", NULL);
	is_str(next(a, NULL), "https://m.example/again",
	    "  a Location without a host is on the same host");
	is_int(answer(a, 302, jv_null(), "http://m.example/x", NULL), TH_AP_FAIL,
	    "a redirect to plain http is refused");
	is_str(why, "https://m.example/again redirects to an address that is "
	    "not https: http://m.example/x", "  said so");
	th_ap_free(a);

	a = th_ap_new("@a@a.example", 20, 1);
	for (i = 0; i < 3; i++)
		answer(a, 308, jv_null(), "/loop", NULL);
	is_int(answer(a, 308, jv_null(), "/loop", NULL), TH_AP_FAIL,
	    "a fourth redirect in a row ends the source");
	is_str(why, "https://a.example/loop redirects too often, last to "
	    "https://a.example/loop", "  said so");
	th_ap_free(a);
}

static void
outboxes(void)
{
	struct th_ap *a = gargron(1);
	jv posts;

	is_int(answer(a, 200, doc("ap-mastodon-outbox-collection-mstdn-jp.json"),
	    NULL, &posts), TH_AP_MORE, "a recorded OrderedCollection with a first "
	    "page URL: more to fetch");
	is_str(next(a, NULL), "https://mstdn.jp/users/nanakananoka/outbox?page=true",
	    "  its first page");
	is_int(answer(a, 200, gargronpage(), NULL, &posts), TH_AP_PAGE,
	    "mastodon.social's posts on a page that mstdn.jp served");
	is_int(jv_array_length(jv_copy(posts)), 0, "  are not taken");
	is_str(why, "skipped 3 posts: 3 whose id or account is not on mstdn.jp",
	    "  and said to be skipped");
	jv_free(posts);
	th_ap_free(a);

	a = th_ap_new("https://mastodon.social/users/LemmyDev", 20, 1);
	is_str(next(a, NULL), "https://mastodon.social/users/LemmyDev",
	    "an actor URL is its own start");
	answer(a, 200, text("{\"outbox\":\"https://mastodon.social/users/"
	    "LemmyDev/outbox\",\"preferredUsername\":\"LemmyDev\"}"), NULL, NULL);
	is_int(answer(a, 200, doc("ap-mastodon-featured-collection-lemmydev-2020.json"),
	    NULL, &posts), TH_AP_PAGE,
	    "the recorded LemmyDev featured collection: its items inline");
	is_int(jv_array_length(jv_copy(posts)), 1, "  one post");
	is_str(col(posts, "username"), "LemmyDev@mastodon.social",
	    "  named preferredUsername@host");
	is_str(col(posts, "timestamp"), "2020-05-28T14:52:14+0000", "  its date");
	jv_free(posts);
	th_ap_free(a);

	a = gargron(1);
	is_int(answer(a, 200, text("{\"type\":\"OrderedCollection\",\"first\":"
	    PAGE(",\"next\":\"https://mastodon.social/p/2\"",
	    CREATE("10", NOTE("1", "one"))) "}"), NULL, &posts),
	    TH_AP_PAGE, "a collection with its first page embedded: a page");
	is_str(col(posts, "text"), "one", "  its post");
	is_str(next(a, NULL), "https://mastodon.social/p/2", "  then its next page");
	jv_free(posts);
	answer(a, 200, text(PAGE(",\"next\":\"https://mastodon.social/p/2\"", "")),
	    NULL, &posts);
	is_str(why, "paging stopped: the next page https://mastodon.social/p/2 "
	    "was read before (the pages go in a circle)",
	    "a page whose next is itself: the source ends");
	is_str(next(a, NULL), "", "  nothing more to fetch");
	jv_free(posts);
	th_ap_free(a);
}

/* GoToSocial: each Create's object only a URL, fetched when needed. */
static void
objects(void)
{
	struct th_ap *a = gargron(1);
	jv posts;

	is_int(answer(a, 200, text(PAGE("", CREATE("10", NOTE("1", "one")) ","
	    CREATE("09", URL("https://mastodon.social/n/2")) ","
	    CREATE("08", URL("https://elsewhere.example/n/3")))), NULL, &posts),
	    TH_AP_PAGE, "a page whose second Create names its object by URL");
	is_str(col(posts, "text"), "one", "  hands over the post before it");
	is_str(next(a, NULL), "https://mastodon.social/n/2",
	    "  and fetches the object next");
	jv_free(posts);
	is_int(answer(a, 200, text(NOTE("2", "two")), NULL, &posts),
	    TH_AP_PAGE, "the object: a page of its own");
	is_str(col(posts, "text"), "two", "  its post");
	is_str(col(posts, "timestamp"), "2026-11-20T09:00:00+0000",
	    "  dated by its Create");
	is_str(why, "skipped 1 post: 1 whose id or account is not on "
	    "mastodon.social", "  an object on another host is not fetched");
	is_str(next(a, NULL), "", "  the page had no next");
	jv_free(posts);
	th_ap_free(a);

	a = gargron(1);
	answer(a, 200, text(PAGE("", CREATE("09",
	    URL("https://mastodon.social/n/2")))), NULL, NULL);
	is_int(answer(a, 401, text("{}"), NULL, NULL), TH_AP_FAIL,
	    "an object refused to an anonymous read");
	is_str(why, "mastodon.social refuses anonymous reads of its posts (HTTP "
	    "401): it wants signed fetches", "  ends the source, said so");
	th_ap_free(a);
}

static void
rest(void)
{
	struct th_ap *a = th_ap_new("@gargron@mastodon.social", 20, 1);
	const char *acc;
	jv posts;

	answer(a, 200, doc("ap-mastodon-webfinger-gargron-2024-04-live.json"),
	    NULL, NULL);
	is_int(answer(a, 401, doc("ap-mastodon-unsigned-actor-401-live.json"), NULL,
	    NULL), TH_AP_MORE, "the recorded 401 of an unsigned actor read");
	is_str(next(a, &acc), "https://mastodon.social/api/v1/accounts/lookup?"
	    "acct=gargron", "  Mastodon's API is tried: the account's lookup");
	is_str(acc, "application/json", "  asking for JSON");
	is_int(answer(a, 200, text("{\"id\":\"1\"}"), NULL, NULL), TH_AP_MORE,
	    "the lookup's answer");
	is_str(next(a, NULL), "https://mastodon.social/api/v1/accounts/1/"
	    "statuses?limit=20", "  the account's statuses, a page size's worth");
	is_int(answer(a, 200, text("[{\"id\":\"12\",\"uri\":\"https://"
	    "mastodon.social/users/Gargron/statuses/12\",\"created_at\":"
	    "\"2026-11-20T10:00:00.000Z\",\"content\":\"<p>hi</p>\",\"account\":"
	    "{\"acct\":\"Gargron\"}},{\"id\":\"11\",\"uri\":\"https://"
	    "mastodon.social/users/Gargron/statuses/11\",\"created_at\":"
	    "\"2026-11-20T09:00:00.000Z\",\"content\":\"<p>old</p>\","
	    "\"account\":{\"acct\":\"mosseri@threads.net\"}}]"), NULL, &posts),
	    TH_AP_PAGE, "a page of statuses");
	is_str(col(posts, "text"), "hi", "  the account's own status");
	is_str(col(posts, "username"), "Gargron@mastodon.social", "  named with the host");
	is_str(why, "skipped 1 post: 1 whose id or account is not on "
	    "mastodon.social", "  another server's account is not this one's to give");
	is_str(next(a, NULL), "https://mastodon.social/api/v1/accounts/1/"
	    "statuses?limit=20&max_id=11", "  the next page by max_id");
	jv_free(posts);
	is_int(answer(a, 200, text("[]"), NULL, &posts), TH_AP_PAGE,
	    "an empty page of statuses");
	is_str(next(a, NULL), "", "  is the last");
	jv_free(posts);
	th_ap_free(a);

	a = th_ap_new("@gargron@mastodon.social", 20, 1);
	answer(a, 200, doc("ap-mastodon-webfinger-gargron-2024-04-live.json"),
	    NULL, NULL);
	answer(a, 401, doc("ap-mastodon-unsigned-actor-401-live.json"), NULL, NULL);
	is_int(answer(a, 404, text("{\"error\":\"Record not found\"}"), NULL, NULL),
	    TH_AP_FAIL, "the API does not serve the account either");
	is_str(why, "mastodon.social refuses anonymous reads of the actor (HTTP "
	    "401: Request not signed): it wants signed fetches, or the account "
	    "is not shared with the fediverse; and its Mastodon API does not "
	    "serve the account either (HTTP 404: Record not found)",
	    "  both refusals said, the recorded one word for word");
	th_ap_free(a);

	a = th_ap_new("@mosseri@threads.net", 20, 1);
	answer(a, 200, doc("ap-threads-webfinger-mosseri-2024-04-live.json"), NULL,
	    NULL);
	is_str(next(a, NULL), "https://www.threads.net/ap/users/mosseri/",
	    "the recorded Threads WebFinger names its actor");
	answer(a, 404, doc("ap-threads-actor-unsigned-not-found-live.json"), NULL,
	    NULL);
	answer(a, 404, text("{}"), NULL, NULL);
	ok(strstr(why, "threads.net refuses anonymous reads of the actor (HTTP "
	    "404: Not found)") != NULL && strstr(why, "(a Threads account is read "
	    "through the API: @user)") != NULL,
	    "a Threads actor refused (recorded 404): the way that works is said");
	th_ap_free(a);

	a = th_ap_new("https://locked.example/users/carol", 20, 1);
	is_int(answer(a, 401, text("{}"), NULL, NULL), TH_AP_FAIL,
	    "an actor URL refused: no Mastodon account to look up");
	is_str(why, "the server refuses anonymous reads of https://locked.example/"
	    "users/carol (HTTP 401): it wants signed fetches", "  said so");
	th_ap_free(a);
}

static void
exits(void)
{
	struct th_ap *a = th_ap_new("@gargron@mastodon.social", 20, 1);

	answer(a, 503, text("{}"), NULL, NULL);
	is_int(th_ap_exit(a), 69, "a 5xx (after the retries): 69");
	th_ap_free(a);
	a = gargron(1);
	answer(a, 429, text("{}"), NULL, NULL);
	is_int(th_ap_exit(a), 75, "a 429: 75");
	is_str(why, "the outbox page https://mastodon.social/users/Gargron/outbox "
	    "did not answer with ActivityPub (HTTP 429)", "  said so");
	th_ap_free(a);
}

static void
cache(const char *state)
{
	struct th_ap *a = gargron(0);
	char path[1024], line[4096];
	size_t n = 0;
	FILE *f;

	th_ap_free(a);
	th_ap_cleanup();
	snprintf(path, sizeof(path), "%s/th/fedi", state);
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(line, 1, sizeof(line) - 1, f);
		fclose(f);
	}
	line[n] = '\0';
	ok(strstr(line, "\"source\":\"@gargron@mastodon.social\",\"username\":"
	    "\"Gargron@mastodon.social\",\"via\":\"activitypub\",\"url\":"
	    "\"https://mastodon.social/users/Gargron/outbox\"") != NULL,
	    "the account's outbox is kept in $XDG_STATE_HOME/th/fedi");
	a = th_ap_new("@gargron@mastodon.social", 20, 0);
	is_str(next(a, NULL), "https://mastodon.social/users/Gargron/outbox",
	    "  the next reader starts at the outbox");
	is_int(answer(a, 410, text("{}"), NULL, NULL), TH_AP_MORE,
	    "a kept outbox that is gone");
	ok(strstr(next(a, NULL), "/.well-known/webfinger") != NULL,
	    "  the account is looked up again");
	th_ap_free(a);
	a = th_ap_new("@gargron@mastodon.social", 20, 1);
	ok(strstr(next(a, NULL), "/.well-known/webfinger") != NULL,
	    "a fresh reader looks the account up, known or not");
	th_ap_free(a);
	th_ap_cleanup();
}

int
main(void)
{
	static const char *home[] = { "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
	    "XDG_STATE_HOME" };
	char dir[] = "/tmp/t-ap.XXXXXX", data[1024], rm[1024];
	size_t i;
	const char *top = getenv("top_srcdir");

	snprintf(data, sizeof(data), "%s/tests/data", top ? top : ".");
	datadir = data;
	if (mkdtemp(dir) == NULL)
		return 1;
	for (i = 0; i < sizeof(home) / sizeof(home[0]); i++)
		setenv(home[i], dir, 1);
	unsetenv("TH_FEDI_CONNECT");
	if (th_config_load() != 0)
		return 1;
	discovery();
	redirects();
	outboxes();
	objects();
	rest();
	exits();
	cache(dir);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		return 1;
	return done_testing();
}
