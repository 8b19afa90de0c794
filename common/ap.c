/*
 * ap: a fediverse account as a th source. Every request is an anonymous
 * GET over https (th_api_fetch: no token ever goes there); every answer
 * is turned into th's post records, so that the same jq works on a
 * Mastodon account and a Threads one.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "ap.h"
#include "cli.h"
#include "config.h"
#include "html.h"
#include "json.h"
#include "store.h"

#define ACCEPT_JRD	"application/jrd+json, application/json"
#define ACCEPT_AS	"application/activity+json, application/ld+json; " \
			"profile=\"https://www.w3.org/ns/activitystreams\""
#define ACCEPT_JSON	"application/json"
#define MAX_PAGES_EMPTY	TH_PAGES_STALE	/* pages in a row without a post */
#define MAX_OBJECTS	200	/* posts fetched one by one, a source */
#define KNOWN_TTL	86400	/* how long a resolved account is trusted */

enum stage { WEBFINGER, ACTOR, OUTBOX, PAGE, OBJECT, LOOKUP, STATUSES, END };

/* Why an item gave no record. */
enum skip {
	SKIP_OTHER,	/* not a post (a like, a follow): nothing to say */
	SKIP_FOREIGN,	/* a post without an id (or an account) on the host
			 * that served it: not that server's to give */
	SKIP_NODATE,	/* a post with neither published nor updated */
	SKIP_BARE,	/* a Create whose object is only its URL */
};

struct th_ap {
	char		*source;
	char		*user, *host;	/* of @user@host; NULL for a URL */
	char		*username;	/* records' "username" */
	enum stage	 stage;
	char		*url;		/* what to fetch next (https) */
	char		*wire;		/* url as sent (TH_FEDI_CONNECT) */
	char		*base;		/* STATUSES: the statuses URL, no max_id */
	char		*refused;	/* why the ActivityPub way was refused */
	int		 pagesize;
	int		 empty;		/* pages in a row without posts */
	int		 redirects;	/* in a row */
	int		 status;	/* the exit status of a failure */
	long long	 floor;		/* the oldest post so far, or -1 */
	int		 cached;	/* the next answer tests a known entry */
	struct th_seen	 pages;		/* the pages read: a circle ends */
	/* the page being read: its items are taken in order, and one whose
	 * object is only a URL is fetched (stage OBJECT) when the merge
	 * needs the posts after it */
	jv		 items;		/* its items (owned), or null */
	int		 at;		/* the next of them */
	char		*next;		/* the page after it, or NULL */
	char		 pagehost[256];	/* the host that served it */
	long long	 pagefloor;	/* floor when it began */
	long long	 when;		/* OBJECT: its Create's date */
	int		 objects;	/* objects fetched, at most MAX_OBJECTS */
	char		*noobjects;	/* why objects are no longer fetched */
	int		 foreign, undated, unfetched;	/* the page's skipped posts */
};

/*
 * What an account resolved to: its outbox, or its statuses in Mastodon's
 * API. Kept for the process's life, and for a day in
 * $XDG_STATE_HOME/th/fedi, so that follow mode and cron runs read the
 * outbox alone; an entry that stops working is dropped and the account
 * looked up again. The file is read once and written once, at exit,
 * when something changed.
 */
struct known {
	char		*source, *username, *url;
	enum stage	 stage;	/* OUTBOX or STATUSES */
	long long	 at;	/* when it was resolved */
	int		 gone;	/* stopped working: neither used nor saved */
	struct known	*next;
};
static struct known *known;
static int loaded, dirty;

/* A member of o (borrowed), or null when it is absent or o is not an
 * object. Owned. */
static jv
get(jv o, const char *k)
{
	jv v;

	if (jv_get_kind(o) != JV_KIND_OBJECT)
		return jv_null();
	v = jv_object_get(jv_copy(o), jv_string(k));
	if (!jv_is_valid(v)) {
		jv_free(v);
		return jv_null();
	}
	return v;
}

/* The string member k of o, malloc'd, or NULL. */
static char *
sget(jv o, const char *k)
{
	jv v = get(o, k);
	char *r = NULL;

	if (jv_get_kind(v) == JV_KIND_STRING)
		r = th_strdup(jv_string_value(v));
	jv_free(v);
	return r;
}

/* A reference (borrowed): a string, or an object's id, or its href. */
static char *
ref(jv v)
{
	char *r;

	if (jv_get_kind(v) == JV_KIND_STRING)
		return th_strdup(jv_string_value(v));
	if (jv_get_kind(v) == JV_KIND_ARRAY) {	/* several Links: the first */
		r = NULL;
		jv_array_foreach(v, i, e) {
			if (r == NULL && jv_get_kind(e) != JV_KIND_ARRAY)
				r = ref(e);
			jv_free(e);
		}
		return r;
	}
	if ((r = sget(v, "id")) == NULL)
		r = sget(v, "href");
	return r;
}

/* The member k of o as a reference, malloc'd, or NULL. */
static char *
rget(jv o, const char *k)
{
	jv v = get(o, k);
	char *r = ref(v);

	jv_free(v);
	return r;
}

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
ishttps(const char *u)
{
	return u != NULL && strncasecmp(u, "https://", 8) == 0 && u[8] != '\0' &&
	    u[8] != '/';
}

/* The host of an https URL in buf. */
static void
hostof(const char *u, char *buf, size_t size)
{
	size_t n;

	u += 8;
	n = strcspn(u, "/?#");
	if (n >= size)
		n = size - 1;
	memcpy(buf, u, n);
	buf[n] = '\0';
}

/* Is u an https URL on host, with no user name before the host? */
static int
onhost(const char *u, const char *host)
{
	size_t n;

	if (!ishttps(u))
		return 0;
	n = strcspn(u + 8, "/?#");
	return n == strlen(host) && strncasecmp(u + 8, host, n) == 0 &&
	    memchr(u + 8, '@', n) == NULL;
}

static void
seturl(struct th_ap *a, const char *url)
{
	th_setstr(&a->url, url);
	free(a->wire);
	a->wire = NULL;
	if (url != NULL && th_cfg.fedi_connect[0] != '\0' &&
	    asprintf(&a->wire, "http://%s", url + 8) == -1)
		th_die(TH_EIO, "out of memory");
}

static void
knownpath(char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/fedi", th_cfg.state_dir) >= size)
		buf[0] = '\0';
}

static struct known *
findknown(const char *source)
{
	struct known *k;

	for (k = known; k != NULL; k = k->next)
		if (strcmp(k->source, source) == 0)
			return k;
	return NULL;
}

static void
addknown(const char *source, const char *username, const char *url,
    enum stage stage, long long at)
{
	struct known *k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		th_die(TH_EIO, "out of memory");
	k->source = th_strdup(source);
	k->username = th_strdup(username);
	k->url = th_strdup(url);
	k->stage = stage;
	k->at = at;
	k->next = known;
	known = k;
}

/* The file's entries (NDJSON) that are fresh and not known already. A
 * torn or strange line is skipped: this is a cache. */
static void
loadknown(void)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	long long now = (long long)time(NULL), at;

	knownpath(path, sizeof(path));
	if (path[0] == '\0' || (f = fopen(path, "r")) == NULL)
		return;
	while ((n = getline(&line, &cap, f)) > 0) {
		jv o = th_json_parse(line, (size_t)n);
		char *src = sget(o, "source"), *user = sget(o, "username"),
		    *url = sget(o, "url"), *via = sget(o, "via");
		jv t = get(o, "at");

		at = jv_get_kind(t) == JV_KIND_NUMBER ? th_jv_num(t) : 0;
		/* a name without a host: written before names were checked */
		if (src && user && (strchr(user, '@') != NULL || ishttps(user)) &&
		    url && via &&
		    ishttps(url) && at <= now &&
		    now - at < KNOWN_TTL && findknown(src) == NULL &&
		    (strcmp(via, "activitypub") == 0 || strcmp(via, "mastodon-api") == 0))
			addknown(src, user, url, strcmp(via, "activitypub") == 0 ?
			    OUTBOX : STATUSES, at);
		jv_free(t);
		jv_free(o);
		free(src);
		free(user);
		free(url);
		free(via);
	}
	free(line);
	fclose(f);
}

/* Write what is known, with what other processes wrote meanwhile. */
static void
saveknown(void)
{
	char path[PATH_MAX], *d;
	struct known *k;
	jv out = jv_string("");

	knownpath(path, sizeof(path));
	if (path[0] == '\0')
		return;
	loadknown();
	for (k = known; k != NULL; k = k->next) {
		jv o;
		if (k->gone)
			continue;
		o = jv_object();
		o = jv_object_set(o, jv_string("source"), jv_string(k->source));
		o = jv_object_set(o, jv_string("username"), jv_string(k->username));
		o = jv_object_set(o, jv_string("via"), jv_string(k->stage == OUTBOX ?
		    "activitypub" : "mastodon-api"));
		o = jv_object_set(o, jv_string("url"), jv_string(k->url));
		o = jv_object_set(o, jv_string("at"), jv_number((double)k->at));
		if ((d = th_json_dump(o)) == NULL)
			th_die(TH_EIO, "out of memory");
		out = jv_string_append_str(jv_string_append_str(out, d), "\n");
		free(d);
	}
	if (th_store_mkdirs(th_cfg.state_dir, 0700) == -1 ||
	    th_store_replace(path, jv_string_value(out),
	    (size_t)jv_string_length_bytes(jv_copy(out)), 0600) == -1) {
		if (th_opts.verbose)
			th_msg(0, "%s: not saved: %s", path, strerror(errno));
	}
	jv_free(out);
}

static void
forget(const char *source)
{
	struct known *k = findknown(source);

	if (k != NULL && !k->gone) {
		k->gone = 1;	/* and the file's copy is not merged back */
		dirty = 1;
	}
}

/* From the start: WebFinger for @user@host, the actor for a URL. */
static void
begin(struct th_ap *a)
{
	char *u, *e;

	free(a->username);
	a->username = NULL;
	if (a->user == NULL) {
		a->stage = ACTOR;
		seturl(a, a->source);
		return;
	}
	e = curl_easy_escape(NULL, a->source + 1, 0);
	if (e == NULL || asprintf(&u, "https://%s/.well-known/webfinger?"
	    "resource=acct%%3A%s", a->host, e) == -1)
		th_die(TH_EIO, "out of memory");
	curl_free(e);
	a->stage = WEBFINGER;
	seturl(a, u);
	free(u);
}

struct th_ap *
th_ap_new(const char *source, int pagesize, int fresh)
{
	struct th_ap *a;
	struct known *k;
	const char *at;
	char *s;

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
	if (!loaded) {
		loaded = 1;
		loadknown();
	}
	if (fresh || (k = findknown(source)) == NULL || k->gone) {
		begin(a);
		return a;
	}
	a->cached = 1;
	a->stage = k->stage;
	a->username = th_strdup(k->username);
	if (th_opts.verbose)
		th_msg(0, "%s: read through %s %s (looked up %lld min ago)",
		    source, k->stage == OUTBOX ? "ActivityPub, outbox" :
		    "the Mastodon API,", k->url,
		    ((long long)time(NULL) - k->at) / 60);
	if (k->stage == OUTBOX) {
		seturl(a, k->url);
		return a;
	}
	a->base = th_strdup(k->url);
	if (asprintf(&s, "%s?limit=%d", k->url, a->pagesize) == -1)
		th_die(TH_EIO, "out of memory");
	seturl(a, s);
	free(s);
	return a;
}

const char *
th_ap_url(struct th_ap *a, const char **accept)
{
	if (a->stage == END || a->url == NULL)
		return NULL;
	*accept = a->stage == WEBFINGER ? ACCEPT_JRD :
	    a->stage == LOOKUP || a->stage == STATUSES ? ACCEPT_JSON : ACCEPT_AS;
	return a->wire ? a->wire : a->url;
}

static void
remember(struct th_ap *a, const char *url)
{
	struct known *k = findknown(a->source);

	if (k != NULL && !k->gone)
		return;
	if (k != NULL) {	/* looked up again: the new answer */
		th_setstr(&k->username, a->username);
		th_setstr(&k->url, url);
		k->stage = a->stage;
		k->at = (long long)time(NULL);
		k->gone = 0;
	} else
		addknown(a->source, a->username, url, a->stage, (long long)time(NULL));
	dirty = 1;
}

void
th_ap_cleanup(void)
{
	struct known *k;

	if (dirty) {
		dirty = 0;	/* first: saveknown() may die, and come back here */
		saveknown();
	}
	while ((k = known) != NULL) {
		known = k->next;
		free(k->source);
		free(k->username);
		free(k->url);
		free(k);
	}
	loaded = 0;
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

static void
stamp(long long t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%S+0000", &tm) == 0)
		out[0] = '\0';
}

/* The text of HTML (a string jv, consumed), as a string jv. */
static jv
plain(jv html)
{
	char *t;
	jv r;

	if (jv_get_kind(html) != JV_KIND_STRING) {
		jv_free(html);
		return jv_null();
	}
	if ((t = th_html_text(jv_string_value(html),
	    (size_t)jv_string_length_bytes(jv_copy(html)))) == NULL)
		th_die(TH_EIO, "out of memory");
	jv_free(html);
	r = jv_string(t);
	free(t);
	return r;
}

/* A plain-text field (a string jv, consumed) without control characters,
 * as the HTML's text is; anything else as it is. */
static jv
clean(jv v)
{
	char *t;
	jv r;

	if (jv_get_kind(v) != JV_KIND_STRING)
		return v;
	if ((t = th_html_plain(jv_string_value(v),
	    (size_t)jv_string_length_bytes(jv_copy(v)))) == NULL)
		th_die(TH_EIO, "out of memory");
	jv_free(v);
	r = jv_string(t);
	free(t);
	return r;
}

/* A Note's content: content, else the first of contentMap. Owned. */
static jv
content(jv note)
{
	jv c = get(note, "content"), m;

	if (jv_get_kind(c) == JV_KIND_STRING)
		return c;
	jv_free(c);
	m = get(note, "contentMap");
	c = jv_null();
	if (jv_get_kind(m) == JV_KIND_OBJECT) {
		int it = jv_object_iter(m);
		if (jv_object_iter_valid(m, it))
			c = jv_object_iter_value(m, it);
	}
	jv_free(m);
	return c;
}

/* A Note's url: a string, or among Links the text/html one. */
static char *
permalink(jv note)
{
	jv u = get(note, "url");
	char *r = NULL, *mt;

	if (jv_get_kind(u) == JV_KIND_ARRAY) {
		jv_array_foreach(u, i, e) {
			if (r == NULL && jv_get_kind(e) == JV_KIND_OBJECT &&
			    (mt = sget(e, "mediaType")) != NULL) {
				if (strcmp(mt, "text/html") == 0)
					r = sget(e, "href");
				free(mt);
			}
			jv_free(e);
		}
		if (r == NULL && jv_array_length(jv_copy(u)) > 0) {
			jv e = jv_array_get(jv_copy(u), 0);
			r = ref(e);
			jv_free(e);
		}
	} else
		r = ref(u);
	jv_free(u);
	if (r == NULL || !ishttps(r)) {
		free(r);
		r = sget(note, "id");
	}
	return r;
}

/* Attachments: media_type, media_url, media_urls, alt_text. */
static jv
media(jv rec, jv att, int rest)
{
	jv urls = jv_array();
	char *first = NULL, *alt = NULL, *kind = NULL, *u, *mt;
	int n = 0;

	if (jv_get_kind(att) == JV_KIND_OBJECT)
		att = jv_array_append(jv_array(), att);
	if (jv_get_kind(att) != JV_KIND_ARRAY) {
		jv_free(att);
		att = jv_array();
	}
	jv_array_foreach(att, i, e) {
		u = rest ? sget(e, "url") : rget(e, "url");
		if (u != NULL) {
			urls = jv_array_append(urls, jv_string(u));
			if (n++ == 0) {
				first = th_strdup(u);
				alt = sget(e, rest ? "description" : "name");
				if (rest)
					kind = sget(e, "type");
				else if ((mt = sget(e, "mediaType")) != NULL)
					kind = mt;
				else
					kind = sget(e, "type");
			}
			free(u);
		}
		jv_free(e);
	}
	jv_free(att);
	if (n == 0) {
		jv_free(urls);
		return jv_object_set(rec, jv_string("media_type"), jv_string("TEXT_POST"));
	}
	rec = jv_object_set(rec, jv_string("media_type"), jv_string(n > 1 ?
	    "CAROUSEL_ALBUM" : kind && strncasecmp(kind, "video", 5) == 0 ? "VIDEO" :
	    kind && strncasecmp(kind, "gifv", 4) == 0 ? "VIDEO" :
	    kind && strncasecmp(kind, "audio", 5) == 0 ? "AUDIO" : "IMAGE"));
	rec = jv_object_set(rec, jv_string("media_url"), jv_string(first));
	rec = jv_object_set(rec, jv_string("media_urls"), urls);
	if (alt != NULL && *alt != '\0')
		rec = jv_object_set(rec, jv_string("alt_text"), clean(jv_string(alt)));
	free(first);
	free(alt);
	free(kind);
	return rec;
}

/* The first hashtag's name, without its '#'. */
static jv
topic(jv rec, jv tags, int rest)
{
	char *name = NULL, *type;

	if (jv_get_kind(tags) == JV_KIND_ARRAY) {
		jv_array_foreach(tags, i, e) {
			if (name == NULL) {
				type = rest ? NULL : sget(e, "type");
				if (rest || (type && strcmp(type, "Hashtag") == 0))
					name = sget(e, "name");
				free(type);
			}
			jv_free(e);
		}
	}
	jv_free(tags);
	if (name != NULL && name[name[0] == '#'] != '\0')
		rec = jv_object_set(rec, jv_string("topic_tag"),
		    jv_string(name + (name[0] == '#')));
	free(name);
	return rec;
}

static int
isposttype(const char *t)
{
	return t != NULL && (strcmp(t, "Note") == 0 || strcmp(t, "Article") == 0 ||
	    strcmp(t, "Page") == 0 || strcmp(t, "Question") == 0);
}

/* When an item (borrowed) was published: published, else updated (some
 * servers date a post by its last edit alone); -1 for neither. */
static long long
dated(jv o)
{
	long long t = th_jv_time(o, "published");

	return t >= 0 ? t : th_jv_time(o, "updated");
}

/* A Note (borrowed) as a record; ts is the fallback time (its Create's),
 * used when the Note has no published time of its own. */
static jv
note(jv o, const char *username, long long ts, enum skip *why)
{
	char *id, *type, *link, *reply, when[32];
	jv rec, text, title, sum;
	long long t;

	type = sget(o, "type");
	*why = isposttype(type) ? SKIP_FOREIGN : SKIP_OTHER;
	if ((id = sget(o, "id")) == NULL || !isposttype(type)) {
		free(id);
		free(type);
		return jv_null();
	}
	if ((t = th_jv_time(o, "published")) < 0 && (t = ts) < 0)
		t = th_jv_time(o, "updated");
	if (t < 0) {
		*why = SKIP_NODATE;
		free(id);
		free(type);
		return jv_null();
	}
	stamp(t, when);
	rec = jv_object_set(jv_object(), jv_string("id"), jv_string(id));
	rec = jv_object_set(rec, jv_string("username"), jv_string(username));
	text = plain(content(o));
	/* an article's or a Lemmy post's title goes first */
	title = clean(get(o, "name"));
	if (strcmp(type, "Note") != 0 && jv_get_kind(title) == JV_KIND_STRING &&
	    jv_string_length_bytes(jv_copy(title)) > 0) {
		if (jv_get_kind(text) == JV_KIND_STRING &&
		    jv_string_length_bytes(jv_copy(text)) > 0)
			text = jv_string_concat(jv_string_concat(jv_copy(title),
			    jv_string("\n\n")), text);
		else {
			jv_free(text);
			text = jv_copy(title);
		}
	}
	jv_free(title);
	if (jv_get_kind(text) == JV_KIND_STRING)
		rec = jv_object_set(rec, jv_string("text"), text);
	else
		jv_free(text);
	rec = jv_object_set(rec, jv_string("timestamp"), jv_string(when));
	if ((link = permalink(o)) != NULL)
		rec = jv_object_set(rec, jv_string("permalink"), jv_string(link));
	rec = media(rec, get(o, "attachment"), 0);
	sum = plain(get(o, "summary"));
	if (jv_get_kind(sum) == JV_KIND_STRING && jv_string_length_bytes(jv_copy(sum)) > 0)
		rec = jv_object_set(rec, jv_string("summary"), sum);
	else
		jv_free(sum);
	rec = topic(rec, get(o, "tag"), 0);
	reply = rget(o, "inReplyTo");
	rec = jv_object_set(rec, jv_string("is_reply"), jv_bool(reply != NULL));
	if (reply != NULL)
		rec = jv_object_set(rec, jv_string("replied_to"),
		    jv_object_set(jv_object(), jv_string("id"), jv_string(reply)));
	free(reply);
	free(link);
	free(type);
	free(id);
	return rec;
}

/* An outbox item (borrowed) as a record, or null and why not; ts: the
 * time when the item has none (an object fetched for its Create). */
static jv
record(jv item, const char *username, long long ts, enum skip *why)
{
	char *type, *id, *obj, when[32];
	jv o, rec, inner;
	long long t;
	enum skip ignored;

	*why = SKIP_OTHER;
	if (jv_get_kind(item) != JV_KIND_OBJECT)
		return jv_null();	/* a bare link to an activity */
	type = sget(item, "type");
	if ((t = dated(item)) < 0)
		t = ts;
	if (type != NULL && strcmp(type, "Create") == 0) {
		o = get(item, "object");
		if (jv_get_kind(o) == JV_KIND_STRING) {
			*why = SKIP_BARE;
			rec = jv_null();
		} else
			rec = note(o, username, t, why);
		jv_free(o);
	} else if (type != NULL && strcmp(type, "Announce") == 0) {
		id = sget(item, "id");
		o = get(item, "object");
		/* a Lemmy community announces whole activities: the post is
		 * the Create's object */
		if (jv_get_kind(o) == JV_KIND_OBJECT) {
			char *ot = sget(o, "type");
			if (ot != NULL && strcmp(ot, "Create") == 0) {
				jv inside = get(o, "object");
				jv_free(o);
				o = inside;
			}
			free(ot);
		}
		obj = ref(o);
		if (id == NULL || obj == NULL || t < 0) {
			*why = id == NULL || obj == NULL ? SKIP_FOREIGN : SKIP_NODATE;
			rec = jv_null();
		} else {
			stamp(t, when);
			rec = jv_object_set(jv_object(), jv_string("id"), jv_string(id));
			rec = jv_object_set(rec, jv_string("username"), jv_string(username));
			rec = jv_object_set(rec, jv_string("timestamp"), jv_string(when));
			rec = jv_object_set(rec, jv_string("permalink"), jv_string(obj));
			rec = jv_object_set(rec, jv_string("media_type"),
			    jv_string("REPOST_FACADE"));
			/* the boosted post when the server sent it along */
			inner = jv_get_kind(o) == JV_KIND_OBJECT ?
			    note(o, "", -1, &ignored) : jv_null();
			if (jv_get_kind(inner) == JV_KIND_OBJECT) {
				char *by = sget(o, "attributedTo");
				inner = jv_object_delete(inner, jv_string("username"));
				if (by != NULL)
					inner = jv_object_set(inner, jv_string("attributed_to"),
					    jv_string(by));
				free(by);
			} else {
				jv_free(inner);
				inner = jv_object_set(jv_object(), jv_string("id"), jv_string(obj));
			}
			rec = jv_object_set(rec, jv_string("reposted_post"), inner);
		}
		jv_free(o);
		free(id);
		free(obj);
	} else
		rec = note(item, username, t, why);	/* an object on its own */
	free(type);
	return rec;
}

jv
th_ap_record(jv item, const char *username)
{
	enum skip why;

	return record(item, username, -1, &why);
}

/*
 * A Mastodon API status (borrowed) as a record, or null and why not.
 * host: the server's; its local accounts' names get it. own: the status
 * is the account's own, not a boosted one, so its account must be local
 * to host (a name on another server would be a claim host cannot make).
 */
static jv
status(jv st, const char *host, int own, enum skip *why)
{
	char *id, *url, *acct, *user, *reply, *at, when[32];
	jv rec, acc, rb;
	long long t;
	enum skip ignored;

	*why = SKIP_FOREIGN;
	if (jv_get_kind(st) != JV_KIND_OBJECT || (id = sget(st, "uri")) == NULL)
		return jv_null();
	if ((t = th_jv_time(st, "created_at")) < 0) {
		*why = SKIP_NODATE;
		free(id);
		return jv_null();
	}
	stamp(t, when);
	acc = get(st, "account");
	acct = sget(acc, "acct");
	jv_free(acc);
	if (acct == NULL)
		acct = th_strdup("");
	if ((at = strchr(acct, '@')) == NULL && host != NULL) {
		if (asprintf(&user, "%s@%s", acct, host) == -1)
			th_die(TH_EIO, "out of memory");
	} else if (own && (at == NULL || host == NULL || strcasecmp(at + 1, host) != 0)) {
		*why = SKIP_FOREIGN;	/* another server's account */
		free(acct);
		free(id);
		return jv_null();
	} else
		user = th_strdup(acct);
	rec = jv_object_set(jv_object(), jv_string("id"), jv_string(id));
	rec = jv_object_set(rec, jv_string("username"), jv_string(user));
	rb = get(st, "reblog");
	if (jv_get_kind(rb) == JV_KIND_OBJECT) {
		char *rid = sget(rb, "uri"), *rurl = sget(rb, "url");
		jv inner = status(rb, host, 0, &ignored);
		rec = jv_object_set(rec, jv_string("timestamp"), jv_string(when));
		rec = jv_object_set(rec, jv_string("permalink"),
		    jv_string(rurl ? rurl : rid ? rid : id));
		rec = jv_object_set(rec, jv_string("media_type"), jv_string("REPOST_FACADE"));
		if (jv_get_kind(inner) == JV_KIND_OBJECT) {
			jv by = jv_object_get(jv_copy(inner), jv_string("username"));
			inner = jv_object_delete(inner, jv_string("username"));
			inner = jv_object_set(inner, jv_string("attributed_to"), by);
			rec = jv_object_set(rec, jv_string("reposted_post"), inner);
		} else
			jv_free(inner);
		free(rid);
		free(rurl);
		jv_free(rb);
		goto out;
	}
	jv_free(rb);
	rec = jv_object_set(rec, jv_string("text"), plain(get(st, "content")));
	rec = jv_object_set(rec, jv_string("timestamp"), jv_string(when));
	url = sget(st, "url");
	rec = jv_object_set(rec, jv_string("permalink"), jv_string(url && ishttps(url) ?
	    url : id));
	free(url);
	rec = media(rec, get(st, "media_attachments"), 1);
	{
		char *sp = sget(st, "spoiler_text");
		if (sp != NULL && *sp != '\0')
			rec = jv_object_set(rec, jv_string("summary"),
			    clean(jv_string(sp)));
		free(sp);
	}
	rec = topic(rec, get(st, "tags"), 1);
	reply = sget(st, "in_reply_to_id");
	rec = jv_object_set(rec, jv_string("is_reply"), jv_bool(reply != NULL));
	free(reply);
out:
	free(acct);
	free(user);
	free(id);
	return rec;
}

jv
th_ap_status(jv st, const char *host)
{
	enum skip why;

	return status(st, host, 1, &why);
}

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

/* Append to why what else there is to say. */
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

/* A page (its URL a->url) begins: nothing of it skipped yet. */
static void
beginpage(struct th_ap *a)
{
	hostof(a->url, a->pagehost, sizeof(a->pagehost));
	a->pagefloor = a->floor;
	a->foreign = a->undated = a->unfetched = 0;
	(void)th_api_seen(&a->pages, a->url, strlen(a->url));
}

/* An outbox page (borrowed) to read: its items, and the page after it. */
static void
outboxpage(struct th_ap *a, jv page)
{
	jv list = get(page, "orderedItems");

	beginpage(a);
	if (jv_get_kind(list) != JV_KIND_ARRAY) {
		jv_free(list);
		list = get(page, "items");
	}
	jv_free(a->items);
	a->items = jv_get_kind(list) == JV_KIND_ARRAY ? list :
	    (jv_free(list), jv_array());
	a->at = 0;
	free(a->next);
	if ((a->next = rget(page, "next")) != NULL && !ishttps(a->next)) {
		free(a->next);
		a->next = NULL;
	}
}

/* The page is read: say what it skipped, and go on to the next page
 * unless the pages go in a circle. */
static void
endpage(struct th_ap *a, char *why, size_t size)
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
		addwhy(why, size, "skipped %d post%s: %s", n, n > 1 ? "s" : "",
		    list + 2);
	}
	/* a page that goes no further back (pages of likes and follows, or
	 * a server going in circles) is nothing new: a few in a row end it */
	if (a->floor == a->pagefloor) {
		if (++a->empty >= MAX_PAGES_EMPTY && next != NULL) {
			addwhy(why, size, "paging stopped: %d pages in a row "
			    "brought nothing new", a->empty);
			next = (free(next), NULL);
		}
	} else
		a->empty = 0;
	if (next != NULL && th_api_seen(&a->pages, next, strlen(next))) {
		addwhy(why, size, "paging stopped: the next page %s was read "
		    "before (the pages go in a circle)", next);
		next = (free(next), NULL);
	}
	a->stage = next == NULL ? END : a->stage == STATUSES ? STATUSES : PAGE;
	seturl(a, next);
	free(next);
}

/* A record (consumed) of the page into recs, or counted as skipped. */
static jv
take(struct th_ap *a, jv recs, jv r, enum skip skip)
{
	char *id;

	if (jv_get_kind(r) != JV_KIND_OBJECT) {
		jv_free(r);
		a->foreign += skip == SKIP_FOREIGN;
		a->undated += skip == SKIP_NODATE;
		a->unfetched += skip == SKIP_BARE;
		return recs;
	}
	/* a server speaks for its own posts alone: an id elsewhere (on
	 * Threads, or a number like a Threads id) would let it stand in
	 * for posts that are not its own */
	id = th_jv_strdup(r, "id");
	if (onhost(id, a->pagehost))
		recs = jv_array_append(recs, r);
	else {
		jv_free(r);
		a->foreign++;
	}
	free(id);
	return recs;
}

/*
 * Take the page's items from a->at on, after recs (consumed). An item
 * whose object is only a URL (GoToSocial's outbox) is fetched: the
 * records before it are handed over, and the object is fetched when the
 * merge needs the posts after them, one request like a page.
 */
static enum th_ap_step
drain(struct th_ap *a, jv recs, jv *posts, char *why, size_t size)
{
	enum skip skip;
	char *u;
	jv e, r, o;
	int n = jv_array_length(jv_copy(a->items));

	while (a->at < n) {
		e = jv_array_get(jv_copy(a->items), a->at++);
		r = record(e, a->username, -1, &skip);
		if (skip == SKIP_BARE) {
			o = get(e, "object");
			u = ref(o);
			jv_free(o);
			if (a->noobjects == NULL && a->objects >= MAX_OBJECTS &&
			    asprintf(&a->noobjects, "more than %d posts to fetch "
			    "one by one", MAX_OBJECTS) == -1)
				th_die(TH_EIO, "out of memory");
			if (!onhost(u, a->pagehost))
				skip = SKIP_FOREIGN;
			else if (a->noobjects == NULL) {
				a->objects++;
				a->when = dated(e);
				a->stage = OBJECT;
				seturl(a, u);
				free(u);
				jv_free(r);
				jv_free(e);
				*posts = older(a, sorted(recs));
				return TH_AP_PAGE;
			}
			free(u);
		}
		recs = take(a, recs, r, skip);
		jv_free(e);
	}
	*posts = older(a, sorted(recs));
	endpage(a, why, size);
	return TH_AP_PAGE;
}

static enum th_ap_step fail(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static enum th_ap_step
fail(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return TH_AP_FAIL;
}

/* An object fetched for its Create: its record, then the page goes on.
 * It is a page's equal: refused or broken, the source ends. */
static enum th_ap_step
object(struct th_ap *a, const struct th_api_res *res, jv *posts, char *why,
    size_t size)
{
	enum skip skip = SKIP_OTHER;
	jv r = jv_null();
	long http = res->http;

	if (http == 401 || http == 403)
		return fail(why, size, "%s refuses anonymous reads of its posts "
		    "(HTTP %ld): it wants signed fetches", a->pagehost, http);
	if (http != 404 && http != 410) {	/* else deleted since: skipped */
		if (http != 200 || jv_get_kind(res->body) != JV_KIND_OBJECT)
			return fail(why, size, "the post %s is not an "
			    "ActivityPub document (HTTP %ld)", a->url, http);
		if (onhost(a->url, a->pagehost))
			r = record(res->body, a->username, a->when, &skip);
		else
			skip = SKIP_FOREIGN;	/* sent to another server */
	}
	return drain(a, take(a, jv_array(), r, skip), posts, why, size);
}

/* The refused way's reason, for when the fallback fails too. */
static void
refuse(struct th_ap *a, const struct th_api_res *res, const char *what)
{
	char *err = sget(res->body, "error"), buf[512];

	snprintf(buf, sizeof(buf), "%s refuses anonymous reads of the %s (HTTP "
	    "%ld%s%s): it wants signed fetches, or the account is not shared "
	    "with the fediverse%s", a->host ? a->host : "the server", what,
	    res->http, err ? ": " : "", err ? err : "", a->host != NULL &&
	    (strcmp(a->host, "threads.net") == 0 || strcmp(a->host, "www.threads.net") == 0 ||
	    strcmp(a->host, "threads.com") == 0 || strcmp(a->host, "www.threads.com") == 0) ?
	    " (a Threads account is read through the API: @user)" : "");
	th_setstr(&a->refused, buf);
	free(err);
}

static int
lookup(struct th_ap *a)
{
	char *e, *u;

	e = curl_easy_escape(NULL, a->user, 0);
	if (e == NULL || asprintf(&u, "https://%s/api/v1/accounts/lookup?acct=%s",
	    a->host, e) == -1)
		th_die(TH_EIO, "out of memory");
	curl_free(e);
	if (th_opts.verbose)
		th_msg(0, "%s: %s; trying its Mastodon API", a->source, a->refused);
	a->stage = LOOKUP;
	seturl(a, u);
	free(u);
	return TH_AP_MORE;
}

/*
 * The account's user@host from WebFinger's answer (borrowed): the
 * subject, which spells the name as the server does, when it names an
 * account on the host asked or on the server that answered (the host
 * may send WebFinger there); else the source as written. A server can
 * only speak for its own accounts: acct:mosseri from evil.example is
 * not @mosseri, nor is acct:mosseri@threads.net.
 */
static char *
subject(struct th_ap *a, jv jrd)
{
	char *sub = sget(jrd, "subject"), *at, *p, host[256];

	hostof(a->url, host, sizeof(host));
	for (p = sub; p != NULL && *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			sub[0] = '\0';	/* not a name */
			break;
		}
	if (sub != NULL && strncasecmp(sub, "acct:", 5) == 0 &&
	    (at = strchr(sub + 5, '@')) != NULL && at > sub + 5 &&
	    strchr(at + 1, '@') == NULL && (strcasecmp(at + 1, a->host) == 0 ||
	    strcasecmp(at + 1, host) == 0)) {
		memmove(sub, sub + 5, strlen(sub) - 4);
		return sub;
	}
	if (th_opts.verbose && sub != NULL)
		th_msg(0, "%s: WebFinger's subject %s is not an account on %s; "
		    "named as written", a->source, sub, a->host);
	free(sub);
	return th_strdup(a->source + 1);
}

/* Location (loc) against the URL it answered (base), malloc'd. */
static char *
resolve(const char *base, const char *loc)
{
	const char *p;
	char *r;
	int n;

	if (strncasecmp(loc, "https://", 8) == 0 || strncasecmp(loc, "http://", 7) == 0)
		return th_strdup(loc);
	if (loc[0] == '/' && loc[1] == '/')
		n = asprintf(&r, "https:%s", loc);
	else if (loc[0] == '/')
		n = asprintf(&r, "%.*s%s", (int)(8 + strcspn(base + 8, "/?#")), base, loc);
	else {
		p = strrchr(base + 8, '/');
		n = p ? asprintf(&r, "%.*s/%s", (int)(p - base), base, loc) :
		    asprintf(&r, "%s/%s", base, loc);
	}
	if (n == -1)
		th_die(TH_EIO, "out of memory");
	return r;
}

enum th_ap_step
th_ap_answer(struct th_ap *a, const struct th_api_res *res, jv *posts,
    char *why, size_t size)
{
	jv b = res->body, v;
	char *s, *type, host[256];
	long http = res->http;
	int signedonly = http == 401 || http == 403 || http == 404 || http == 410;

	*posts = jv_invalid();
	why[0] = '\0';
	/* what a failure amounts to: the server down or overloaded (after
	 * the retries), rate limited, or a refusal that will not change */
	a->status = http >= 500 ? TH_EUNAVAIL : http == 429 ? TH_ETEMP : TH_EFAIL;
	if ((http == 301 || http == 302 || http == 303 || http == 307 ||
	    http == 308) && res->location != NULL && a->url != NULL) {
		/* WebFinger at a domain sends us to the server that holds the
		 * account; followed here, https only, a few times at most */
		char *to = resolve(a->url, res->location);
		if (!ishttps(to) || ++a->redirects > 3) {
			snprintf(why, size, "%s redirects %s%s", a->url, ishttps(to) ?
			    "too often, last to " : "to an address that is not https: ", to);
			free(to);
			return TH_AP_FAIL;
		}
		seturl(a, to);
		free(to);
		return TH_AP_MORE;
	}
	a->redirects = 0;
	if (a->cached) {
		a->cached = 0;
		if (http == 401 || http == 403 || http == 404 || http == 410 ||
		    (http == 200 && jv_get_kind(b) != JV_KIND_OBJECT &&
		    jv_get_kind(b) != JV_KIND_ARRAY)) {
			/* moved, gone, locked since: look the account up again (not
		 * for a 5xx or a 429, which another lookup would only add to) */
			if (th_opts.verbose)
				th_msg(0, "%s: %s answers HTTP %ld; looking the account "
				    "up again", a->source, a->url, http);
			forget(a->source);
			begin(a);
			return TH_AP_MORE;
		}
	}
	switch (a->stage) {
	case WEBFINGER:
		if (http == 404 || http == 410)
			return fail(why, size, "no such account on %s (WebFinger: "
			    "HTTP %ld)", a->host, http);
		if (http != 200 || jv_get_kind(b) != JV_KIND_OBJECT)
			return fail(why, size, "%s's WebFinger did not answer with "
			    "JSON (HTTP %ld)", a->host, http);
		s = NULL;
		v = get(b, "links");
		if (jv_get_kind(v) == JV_KIND_ARRAY) {
			jv_array_foreach(v, i, l) {
				char *rel = sget(l, "rel"), *t = sget(l, "type");
				if (s == NULL && rel && strcmp(rel, "self") == 0 && t &&
				    (strstr(t, "activity+json") || strstr(t, "ld+json")))
					s = sget(l, "href");
				free(rel);
				free(t);
				jv_free(l);
			}
		}
		jv_free(v);
		if (!ishttps(s)) {
			free(s);
			return fail(why, size, "%s's WebFinger names no https "
			    "ActivityPub actor for the account", a->host);
		}
		a->username = subject(a, b);
		a->stage = ACTOR;
		seturl(a, s);
		free(s);
		return TH_AP_MORE;
	case ACTOR:
		if (signedonly && a->user != NULL) {
			refuse(a, res, "actor");
			return lookup(a);
		}
		if (signedonly)
			return fail(why, size, "the server refuses anonymous reads of "
			    "%s (HTTP %ld): it wants signed fetches", a->url, http);
		if (http != 200 || jv_get_kind(b) != JV_KIND_OBJECT)
			return fail(why, size, "the actor %s is not an ActivityPub "
			    "document (HTTP %ld)", a->url, http);
		s = rget(b, "outbox");
		if (!ishttps(s)) {
			free(s);
			return fail(why, size, "the actor %s has no https outbox",
			    a->url);
		}
		if (a->username == NULL) {
			char *pu = sget(b, "preferredUsername");
			hostof(a->url, host, sizeof(host));
			/* a name with a host of its own would name another
			 * server's account */
			if (pu == NULL || *pu == '\0' || strchr(pu, '@') != NULL ||
			    asprintf(&a->username, "%s@%s", pu, host) == -1)
				a->username = th_strdup(a->url);
			free(pu);
		}
		a->stage = OUTBOX;
		seturl(a, s);
		remember(a, s);
		free(s);
		if (th_opts.verbose)
			th_msg(0, "%s: read through ActivityPub, outbox %s", a->source,
			    a->url);
		return TH_AP_MORE;
	case OUTBOX:
	case PAGE:
		if (signedonly && a->stage == OUTBOX && a->user != NULL) {
			refuse(a, res, "outbox");
			return lookup(a);
		}
		if (http != 200 || jv_get_kind(b) != JV_KIND_OBJECT)
			return fail(why, size, "the outbox page %s did not answer "
			    "with ActivityPub (HTTP %ld)", a->url, http);
		type = sget(b, "type");
		v = get(b, "first");
		if (a->stage == OUTBOX && type != NULL &&
		    (strcmp(type, "OrderedCollection") == 0 ||
		    strcmp(type, "Collection") == 0) &&
		    jv_get_kind(v) != JV_KIND_NULL) {
			free(type);
			if (jv_get_kind(v) == JV_KIND_OBJECT) {
				/* the first page is embedded */
				outboxpage(a, v);
				jv_free(v);
				return drain(a, jv_array(), posts, why, size);
			}
			s = ref(v);
			jv_free(v);
			if (!ishttps(s)) {
				free(s);
				return fail(why, size, "the outbox %s has no https "
				    "first page", a->url);
			}
			a->stage = PAGE;
			seturl(a, s);
			free(s);
			return TH_AP_MORE;
		}
		jv_free(v);
		free(type);
		outboxpage(a, b);	/* a page, or a collection with its items */
		return drain(a, jv_array(), posts, why, size);
	case OBJECT:
		return object(a, res, posts, why, size);
	case LOOKUP:
		s = http == 200 ? th_jv_idstr(b, "id") : NULL;
		if (s != NULL && !isapiid(s)) {
			free(s);
			s = NULL;
		}
		if (s == NULL) {
			char *err = sget(b, "error");
			snprintf(why, size, "%s; and its Mastodon API does not serve "
			    "the account either (HTTP %ld%s%s)", a->refused ? a->refused :
			    "it refuses anonymous reads", http,
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
		a->stage = STATUSES;
		remember(a, a->base);
		if (th_opts.verbose)
			th_msg(0, "%s: read through the Mastodon API, %s", a->source,
			    a->base);
		if (asprintf(&s, "%s?limit=%d", a->base, a->pagesize) == -1)
			th_die(TH_EIO, "out of memory");
		seturl(a, s);
		free(s);
		return TH_AP_MORE;
	case STATUSES:
		if (http != 200 || jv_get_kind(b) != JV_KIND_ARRAY)
			return fail(why, size, "the Mastodon API's statuses %s did "
			    "not answer with a list (HTTP %ld)", a->url, http);
		{
			jv recs = jv_array(), r;
			char *last = NULL;
			enum skip skip;
			beginpage(a);
			jv_array_foreach(b, i, e) {
				free(last);
				last = th_jv_idstr(e, "id");
				r = status(e, a->host, 1, &skip);
				recs = take(a, recs, r, skip);
				jv_free(e);
			}
			*posts = older(a, sorted(recs));
			free(a->next);
			a->next = NULL;
			if (last != NULL && isapiid(last) && asprintf(&a->next,
			    "%s?limit=%d&max_id=%s", a->base, a->pagesize, last) == -1)
				th_die(TH_EIO, "out of memory");
			free(last);
			endpage(a, why, size);
		}
		return TH_AP_PAGE;
	case END:
		break;
	}
	a->stage = END;
	*posts = jv_array();
	return TH_AP_PAGE;
}
