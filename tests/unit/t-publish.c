/*
 * t-publish: the publishing engine against scripted answers, no server:
 * every way a publish can end (an id; a lost answer; a 5xx; code 10;
 * 24/4279009 for a while and for ever; a container PUBLISHED, FINISHED,
 * ERROR, EXPIRED) and what th_publish() makes of it: its status, how many
 * publish requests and containers went out, the record it printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "http.h"
#include "out.h"
#include "post.h"
#include "publish.h"
#include "tap.h"

#define BASE	"http://127.0.0.1:9"

/* One scripted answer: to method and path (exact, no query), times times
 * (0: for ever); net: no answer at all. */
struct answer {
	const char	*method, *path;
	long		 http;
	const char	*body;
	int		 net, times;
};

static struct answer script[32];
static int nscript;
static char reqs[64][96];	/* "METHOD /path", in order */
static int nreqs;

static void
answer(const char *method, const char *path, long http, const char *body,
    int times)
{
	script[nscript++] = (struct answer){ method, path, http, body, 0, times };
}

static void
lost(const char *method, const char *path, int times)
{
	script[nscript++] = (struct answer){ method, path, 0, NULL, 1, times };
}

/* Answers every job needs: who am I, a quota with room, the post as read
 * back, and the account's posts for a lost answer to be settled by. */
static void
reset(void)
{
	nscript = nreqs = 0;
}

static void
common(void)
{
	answer("GET", "/v1.0/me", 200, "{\"id\":\"1784\"}", 0);
	answer("GET", "/v1.0/me/threads_publishing_limit", 200,
	    "{\"data\":[{\"quota_usage\":1,\"config\":{\"quota_total\":250,"
	    "\"quota_duration\":86400}}]}", 0);
	answer("GET", "/v1.0/P1", 200, "{\"id\":\"P1\",\"text\":\"hello\"}", 0);
	answer("GET", "/v1.0/P2", 200, "{\"id\":\"P2\",\"text\":\"hello\"}", 0);
}

static void
fake(struct th_http_req *r)
{
	const char *p = r->url + strlen(BASE);
	size_t n = strcspn(p, "?");
	int i;

	if (nreqs < 64)
		snprintf(reqs[nreqs++], sizeof(reqs[0]), "%s %.*s", r->method,
		    (int)n, p);
	for (i = 0; i < nscript; i++) {
		struct answer *a = &script[i];
		if (a->times < 0 || strcmp(a->method, r->method) != 0 ||
		    strlen(a->path) != n || strncmp(a->path, p, n) != 0)
			continue;
		if (a->times > 0 && --a->times == 0)
			a->times = -1;	/* used up */
		if (a->net) {
			r->err = TH_HTTP_ENET;
			strlcpy(r->errbuf, "Connection reset by peer", sizeof(r->errbuf));
			return;
		}
		r->status = a->http;
		r->resp = strdup(a->body);
		r->len = strlen(a->body);
		return;
	}
	r->status = 400;	/* unscripted: the test is wrong */
	r->resp = strdup("{\"error\":{\"message\":\"unscripted\",\"code\":100}}");
	r->len = strlen(r->resp);
}

/* Requests whose "METHOD /path" is exactly want. */
static int
count(const char *want)
{
	int i, n = 0;

	for (i = 0; i < nreqs; i++)
		if (strcmp(reqs[i], want) == 0)
			n++;
	return n;
}

static char printed[4096];

/* Publish text as a plain post, under key (NULL: none); what it printed
 * goes to printed. */
static int
postk(const char *text, const char *key, const struct th_pubopts *o,
    struct th_fail *f)
{
	struct th_post p;
	FILE *tmp = tmpfile();
	int saved, rc;
	size_t n;

	memset(&p, 0, sizeof(p));
	memset(f, 0, sizeof(*f));
	p.text = strdup(text);
	p.key = key != NULL ? strdup(key) : NULL;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	rc = th_publish(&p, o, f);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(printed, 1, sizeof(printed) - 1, tmp);
	printed[n] = '\0';
	fclose(tmp);
	th_post_free(&p);
	return rc;
}

static int
post(const char *text, const struct th_pubopts *o, struct th_fail *f)
{
	return postk(text, NULL, o, f);
}

static const char finished[] = "{\"id\":\"C1\",\"status\":\"FINISHED\"}";
static const char published[] = "{\"id\":\"C1\",\"status\":\"PUBLISHED\"}";
static const char notfound[] = "{\"error\":{\"message\":\"The requested "
    "resource does not exist\",\"type\":\"OAuthException\",\"code\":24,"
    "\"error_subcode\":4279009,\"is_transient\":false}}";
static const char code10[] = "{\"error\":{\"message\":\"Application does "
    "not have permission for this action\",\"type\":\"OAuthException\","
    "\"code\":10}}";
static const char mine[] = "{\"data\":[{\"id\":\"P1\",\"text\":\"hello\","
    "\"timestamp\":\"2026-12-01T12:00:00+0000\"}]}";

int
main(void)
{
	struct th_pubopts o = { .waittimeout = 5, .pubtimeout = 1,
	    .window = 7 * 86400 };
	struct th_fail f;
	char dir[] = "/tmp/t-publish.XXXXXX";
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	setenv("HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);
	setenv("TH_API_BASE", BASE, 1);
	setenv("TH_ACCESS_TOKEN", "THQVJunittoken", 1);
	setenv("TH_BACKOFF_MS", "1", 1);
	unsetenv("TH_ACCOUNT");
	unsetenv("TH_TOKEN_FILE");
	if (th_config_load() != 0)
		return 1;
	th_cli_ready();	/* as a verb starts: output, http's settings, the token */
	th_http_set_fake(fake);

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, finished, 0);
	answer("POST", "/v1.0/me/threads_publish", 200, "{\"id\":\"P1\"}", 0);
	rc = post("hello", &o, &f);
	is_int(rc, 0, "an id: published");
	is_str(printed, "{\"id\":\"P1\",\"text\":\"hello\"}\n", "  the post as read back");
	is_int(count("POST /v1.0/me/threads_publish"), 1, "  one publish");

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, finished, 1);
	answer("GET", "/v1.0/C1", 200, published, 0);
	lost("POST", "/v1.0/me/threads_publish", 0);
	answer("GET", "/v1.0/me/threads", 200, mine, 0);
	rc = post("hello", &o, &f);
	is_int(rc, 0, "a lost answer, the container PUBLISHED: success");
	is_int(count("POST /v1.0/me/threads_publish"), 1, "  no second publish");
	is_int(count("GET /v1.0/me/threads"), 1, "  the post found among the account's");
	is_str(printed, "{\"id\":\"P1\",\"text\":\"hello\"}\n", "  and printed");

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, finished, 1);
	answer("GET", "/v1.0/C1", 200, published, 0);
	answer("POST", "/v1.0/me/threads_publish", 500, code10, 0);
	answer("GET", "/v1.0/me/threads", 200, mine, 0);
	rc = post("hello", &o, &f);
	is_int(rc, 0, "HTTP 500 code 10, the container PUBLISHED: success");
	is_int(count("POST /v1.0/me/threads_publish"), 1, "  one publish");

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, finished, 0);
	answer("POST", "/v1.0/me/threads_publish", 500, code10, 0);
	rc = post("hello", &o, &f);
	is_int(rc, TH_EAUTH, "code 10, the container FINISHED: 77");
	ok(strstr(f.why, "permission") != NULL, "  the API's words: %s", f.why);
	is_int(count("POST /v1.0/me/threads_publish"), 1, "  not published again");

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, finished, 0);
	lost("POST", "/v1.0/me/threads_publish", 1);
	answer("POST", "/v1.0/me/threads_publish", 200, "{\"id\":\"P1\"}", 0);
	rc = post("hello", &o, &f);
	is_int(rc, 0, "a lost answer, the container FINISHED: published again");
	is_int(count("POST /v1.0/me/threads_publish"), 2, "  two publishes, one post");

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, finished, 0);
	answer("POST", "/v1.0/me/threads_publish", 400, notfound, 2);
	answer("POST", "/v1.0/me/threads_publish", 200, "{\"id\":\"P1\"}", 0);
	rc = post("hello", &o, &f);
	is_int(rc, 0, "24/4279009 twice after FINISHED, then published");
	is_int(count("POST /v1.0/me/threads_publish"), 3, "  three publishes");
	is_int(count("POST /v1.0/me/threads"), 1, "  one container");

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 1);
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C2\"}", 1);
	answer("GET", "/v1.0/C1", 200, finished, 0);
	answer("GET", "/v1.0/C2", 200, "{\"id\":\"C2\",\"status\":\"FINISHED\"}", 0);
	answer("GET", "/v1.0/me/threads", 200, "{\"data\":[]}", 0);
	answer("POST", "/v1.0/me/threads_publish", 400, notfound, 0);
	rc = post("hello", &o, &f);
	is_int(rc, TH_ETEMP, "24/4279009 for ever: 75");
	is_int(count("POST /v1.0/me/threads"), 2, "  after one new container, not more");
	ok(strstr(f.why, "two FINISHED containers (C1, C2)") != NULL,
	    "  saying what happened: %s", f.why);

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, "{\"id\":\"C1\",\"status\":\"ERROR\","
	    "\"error_message\":\"FAILED_DOWNLOADING_VIDEO\"}", 0);
	rc = post("hello", &o, &f);
	is_int(rc, TH_EFAIL, "a container in ERROR: 1");
	ok(strstr(f.why, "could not download the video") != NULL,
	    "  its error_message in words: %s", f.why);
	is_int(count("POST /v1.0/me/threads_publish"), 0, "  and no publish");

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, "{\"id\":\"C1\",\"status\":\"EXPIRED\"}", 0);
	rc = post("hello", &o, &f);
	is_int(rc, TH_EFAIL, "a container EXPIRED: 1");
	ok(strstr(f.why, "expired") != NULL, "  saying so: %s", f.why);

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, finished, 1);
	answer("GET", "/v1.0/C1", 200, published, 0);
	lost("POST", "/v1.0/me/threads_publish", 0);
	answer("GET", "/v1.0/me/threads", 200, "{\"data\":[]}", 0);
	rc = post("hello", &o, &f);
	is_int(rc, TH_EUNAVAIL, "PUBLISHED but not among the posts yet: 69");
	ok(strstr(f.why, "same --key") != NULL, "  saying how to settle it: %s",
	    f.why);
	is_int(count("POST /v1.0/me/threads_publish"), 1, "  never a second publish");

	reset();
	common();
	answer("POST", "/v1.0/me/threads", 200, "{\"id\":\"C1\"}", 0);
	answer("GET", "/v1.0/C1", 200, finished, 0);
	answer("POST", "/v1.0/me/threads_publish", 200, "{\"id\":\"P1\"}", 0);
	answer("GET", "/v1.0/me/threads", 200, "{\"data\":[]}", 0);
	rc = postk("hello", "k1", &o, &f);
	is_int(rc, 0, "a key: published");
	reset();
	common();
	rc = postk("hello again", "k1", &o, &f);
	is_int(rc, TH_EDATA, "the key again with another text: 65");
	is_str(f.why, "key 'k1' already made post P1 with another text: reuse a "
	    "key only for the same post", "  naming the key, the post, what differs");
	is_int(count("POST /v1.0/me/threads") + count("POST /v1.0/me/threads_publish"),
	    0, "  and nothing sent");
	is_str(printed, "", "  nothing printed");
	reset();
	common();
	rc = postk("hello", "k1", &o, &f);
	is_int(rc, 0, "the key again with the same text: 0");
	is_str(printed, "{\"id\":\"P1\",\"text\":\"hello\",\"duplicate\":true}\n",
	    "  a duplicate");

	{
		struct th_pubopts dry = o;

		dry.dryrun = 1;
		reset();
		common();
		answer("GET", "/v1.0/me/threads", 200, mine, 0);
		rc = postk("hello", "k2", &dry, &f);
		is_int(rc, 0, "a dry run, the ledger without the key, the post "
		    "among the account's: 0");
		is_int(count("GET /v1.0/me/threads"), 1, "  it looked, as the real run does");
		is_str(printed, "{\"id\":\"P1\",\"text\":\"hello\",\"duplicate\":true}\n",
		    "  and printed the post as a duplicate, as the real run does");
		is_int(count("POST /v1.0/me/threads"), 0, "  with no write");
		rc = postk("hello", "k2", &o, &f);
		is_str(printed, "{\"id\":\"P1\",\"text\":\"hello\",\"duplicate\":true}\n",
		    "  the real run prints the same");
	}

	reset();
	common();
	rc = post("", &o, &f);
	is_int(rc, TH_EDATA, "an empty post: 65");
	is_int(nreqs, 0, "  before any request");

	{	/* ||spoiler|| marks: offsets in UTF-16 code units */
		char *plain, *ents;

		rc = th_post_spoilers("\xf0\x9f\x98\x80 a ||b\xc3\xa9|| \\| ||\xf0\x9f\x8f\xa0||",
		    &plain, &ents, &f);
		is_int(rc, 0, "spoilers: marks out of the text");
		is_str(plain, "\xf0\x9f\x98\x80 a b\xc3\xa9 | \xf0\x9f\x8f\xa0",
		    "  the text without them, \\| a bar");
		is_str(ents, "[{\"entity_type\":\"SPOILER\",\"offset\":5,\"length\":2},"
		    "{\"entity_type\":\"SPOILER\",\"offset\":10,\"length\":2}]",
		    "  an astral emoji counts 2 units, an accented letter 1");
		free(plain);
		free(ents);
		rc = th_post_spoilers("no marks", &plain, &ents, &f);
		ok(rc == 0 && ents == NULL && strcmp(plain, "no marks") == 0,
		    "spoilers: no marks, no entities");
		free(plain);
		rc = th_post_spoilers("||open", &plain, &ents, &f);
		ok(rc == TH_EDATA && plain == NULL && ents == NULL,
		    "spoilers: a mark left open is 65");
	}
	{	/* what a --location is, before any request */
		double la = 0, lo = 0;

		is_int(th_place_kind("7640348500", &la, &lo), TH_PLACE_ID,
		    "place: digits are a location id");
		ok(th_place_kind(" 35.66 , -139.7", &la, &lo) == TH_PLACE_COORDS &&
		    la == 35.66 && lo == -139.7, "place: LAT,LON, blanks around them");
		is_int(th_place_kind("-90,180", &la, &lo), TH_PLACE_COORDS,
		    "place: the limits are coordinates");
		is_int(th_place_kind("90.01,0", &la, &lo), TH_PLACE_BAD,
		    "place: a latitude past 90 is bad");
		is_int(th_place_kind("0,-180.5", &la, &lo), TH_PLACE_BAD,
		    "place: a longitude past 180 is bad");
		is_int(th_place_kind("1e5,2", &la, &lo), TH_PLACE_NAME,
		    "place: an exponent is not coordinates: a name");
		is_int(th_place_kind("1,2,3", &la, &lo), TH_PLACE_NAME,
		    "place: three numbers are a name");
		is_int(th_place_kind("1.2.3,4", &la, &lo), TH_PLACE_NAME,
		    "place: two points in a number: a name");
		is_int(th_place_kind("Meta HQ", &la, &lo), TH_PLACE_NAME,
		    "place: words are a name");
	}

	th_http_set_fake(NULL);
	{
		char cmd[64];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return done_testing();
}
