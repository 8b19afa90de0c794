/*
 * th-atom: th's post records (Threads, fediverse, search) as one Atom 1.0
 * feed (RFC 4287), for a feed reader.
 *
 *	th-timeline list:rust -n 50 | th-atom --title 'Rust on Threads' > rust.xml
 *
 * All of stdin is read first: entries go newest first, so the order of
 * the input does not matter, and the feed's <updated> is the newest
 * entry's time, never the clock: the same input gives the same bytes,
 * and a reader polling a cron job's file sees no change when there is
 * none. An entry's id comes from the post, never from the run: a
 * fediverse post's id (a URL) as it is, a Threads id as a tag: URI
 * (permalinks moved from threads.net to threads.com once; ids did not).
 * Text is type="text": the fediverse's HTML was made text by th-timeline,
 * and no HTML from a stranger's server reaches a reader. Characters XML
 * 1.0 does not allow, and the other controls, are dropped; bytes that are
 * not UTF-8 become U+FFFD. A line that is not a post is reported and
 * skipped (65, as a malformed line is); the feed is written all the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "cli.h"
#include "json.h"
#include "list.h"
#include "text.h"

enum {
	OPT_TITLE = TH_OPT_VERB, OPT_ID, OPT_LINK, OPT_AUTHOR, OPT_UPDATED
};

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "title",	required_argument,	NULL, OPT_TITLE },
	{ "id",		required_argument,	NULL, OPT_ID },
	{ "link",	required_argument,	NULL, OPT_LINK },
	{ "author",	required_argument,	NULL, OPT_AUTHOR },
	{ "updated",	required_argument,	NULL, OPT_UPDATED },
	{ "limit",	required_argument,	NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

/* The tag: URIs th-atom mints: its own name as the authority, since no
 * domain of the user's is known here (--id gives one). */
#define TAG	"tag:th-atom,2026:"
#define TITLEMAX 80	/* characters in an entry's title */

static const char *title = "th";	/* --title */
static const char *feedid;		/* --id, or NULL: --link, or a tag */
static const char *selflink;	/* --link: the feed's own address */
static const char *author;		/* --author, or NULL */
static long long updated = -1;		/* --updated, or -1: the newest entry */
static long long limit = -1;		/* -n, or -1: every entry */

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-atom [--title text] [--id iri] [--link url] [--author name]\n"
	    "               [--updated time] [-n count] < records.ndjson\n",
	    "      --title TEXT        the feed's title (default: th)\n"
	    "      --id IRI            the feed's id (default: --link, else a tag: URI\n"
	    "                          from the title)\n"
	    "      --link URL          the address the feed is published at (rel=self)\n"
	    "      --author NAME       the feed's author, and any post's without one\n"
	    "      --updated TIME      the feed's time (default: the newest entry's)\n"
	    "  -n, --limit COUNT       the COUNT newest entries only\n");
}

/*
 * s[0..len) as text XML 1.0 may hold, appended to b: C0 and C1 controls
 * (but tab, newline, carriage return), DEL, U+FFFE and U+FFFF dropped,
 * a byte that is not UTF-8 as U+FFFD. Not escaped: that is esc()'s.
 */
static void
clean(struct th_buf *b, const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = th_text_decode(s + i, len - i, &cp)) == 0) {
			th_buf_adds(b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if ((cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp > 0x9f) &&
		    cp != 0xfffe && cp != 0xffff) || cp == '\t' || cp == '\n' ||
		    cp == '\r')
			th_buf_add(b, s + i, n);
		i += n;
	}
}

/* A string jv (borrowed) through clean(), malloc'd; "" for a non-string. */
static char *
cleanjv(jv v)
{
	struct th_buf b = TH_BUF_INIT;
	char *r;

	th_buf_add(&b, "", 0);
	if (jv_get_kind(v) == JV_KIND_STRING)
		clean(&b, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
	if ((r = th_buf_take(&b)) == NULL)
		th_die(TH_EIO, "out of memory");
	return r;
}

/* Clean text s, escaped for an element or a double-quoted attribute. A
 * carriage return is a reference: a parser would turn a raw one into a
 * newline. */
static void
esc(struct th_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':	th_buf_adds(b, "&amp;"); break;
		case '<':	th_buf_adds(b, "&lt;"); break;
		case '>':	th_buf_adds(b, "&gt;"); break;
		case '"':	th_buf_adds(b, "&quot;"); break;
		case '\r':	th_buf_adds(b, "&#13;"); break;
		default:	th_buf_add(b, s, 1);
		}
}

/* <name>text</name> on a line of its own, text cleaned and escaped. */
static void
element(struct th_buf *b, const char *indent, const char *name, const char *s)
{
	struct th_buf c = TH_BUF_INIT;

	th_buf_add(&c, "", 0);
	clean(&c, s, strlen(s));
	th_buf_printf(b, "%s<%s>", indent, name);
	esc(b, c.s != NULL ? c.s : "");
	th_buf_printf(b, "</%s>\n", name);
	th_buf_free(&c);
}

/* An RFC 3339 time in UTC: the API's form with Z for its +0000, which
 * RFC 3339 does not take. */
static void
rfc3339(long long t, char out[32])
{
	size_t n = th_time_format(t, out);

	if (n > 5)
		memcpy(out + n - 5, "Z", 2);
	else
		strlcpy(out, "1970-01-01T00:00:00Z", 32);
}

/* Percent-encoded s, for the specific part of a tag: URI. */
static void
pct(struct th_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~", *s) != NULL)
			th_buf_add(b, s, 1);
		else
			th_buf_printf(b, "%%%02X", (unsigned char)*s);
}

/* Is s an http(s) URL with nothing in it an IRI may not hold? Only those
 * become links: a javascript: URL from a server is no reader's to follow. */
static int
weburl(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f || strchr("<>\"{}|\\^`", *s))
			return 0;
	return 1;
}

/* The entry id of a post: a URL id as it is (the fediverse's are), a
 * Threads id as TAG "threads/ID", anything else percent-encoded. */
static void
entryid(struct th_buf *b, const char *id)
{
	if (weburl(id))
		th_buf_adds(b, id);
	else if (th_isid(id))
		th_buf_printf(b, TAG "threads/%s", id);
	else {
		th_buf_adds(b, TAG "id/");
		pct(b, id);
	}
}

/* The MIME type of a media URL, from its extension, or NULL. */
static const char *
mediatype(const char *url)
{
	static const char *types[][2] = {
		{ "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
		{ "png", "image/png" }, { "gif", "image/gif" },
		{ "webp", "image/webp" }, { "heic", "image/heic" },
		{ "mp4", "video/mp4" }, { "mov", "video/quicktime" },
		{ "webm", "video/webm" }, { "m4a", "audio/mp4" },
		{ "mp3", "audio/mpeg" }, { "ogg", "audio/ogg" },
	};
	const char *p, *dot = NULL;
	size_t i, n;

	p = strstr(url, "://");
	p = p != NULL ? strchr(p + 3, '/') : NULL;
	for (; p != NULL && *p != '\0' && *p != '?' && *p != '#'; p++)
		if (*p == '.')
			dot = p + 1;
		else if (*p == '/')
			dot = NULL;
	if (dot == NULL)
		return NULL;
	n = (size_t)(p - dot);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i][0]) == n && strncasecmp(dot, types[i][0], n) == 0)
			return types[i][1];
	return NULL;
}

/*
 * An entry's title: the first line of clean text s with its runs of
 * white space as one space, at most TITLEMAX characters: a longer one
 * is cut after a word (within a word only when the word is most of the
 * title) and ends in "...". NULL when s has nothing to show.
 */
static char *
excerpt(const char *s)
{
	struct th_buf b = TH_BUF_INIT;
	size_t chars = 0, at = 0, word = 0, n;
	uint32_t cp;
	char *r;

	th_buf_add(&b, "", 0);
	s += strspn(s, " \t\r\n");
	while (*s != '\0' && *s != '\n' && *s != '\r') {
		if (*s == ' ' || *s == '\t') {
			s += strspn(s, " \t");
			if (*s == '\0' || *s == '\n' || *s == '\r')
				break;
			if (chars <= TITLEMAX - 1)
				word = b.len;	/* a word's end, before the cut */
			th_buf_add(&b, " ", 1);
		} else {
			if ((n = th_text_decode(s, strlen(s), &cp)) == 0)
				n = 1;	/* clean() leaves none */
			th_buf_add(&b, s, n);
			s += n;
		}
		if (++chars == TITLEMAX - 1)
			at = b.len;	/* the cut, one character for the "..." */
	}
	if (chars > TITLEMAX) {
		th_buf_truncate(&b, word >= at / 2 ? word : at);
		th_buf_adds(&b, "\xe2\x80\xa6");
	}
	if ((r = th_buf_take(&b)) == NULL)
		th_die(TH_EIO, "out of memory");
	if (*r == '\0') {
		free(r);
		return NULL;
	}
	return r;
}

/* A link element to url (clean), when it is a web URL. */
static void
linkto(struct th_buf *b, const char *rel, const char *type, const char *url)
{
	if (!weburl(url))
		return;
	th_buf_printf(b, "    <link rel=\"%s\"", rel);
	if (type != NULL)
		th_buf_printf(b, " type=\"%s\"", type);
	th_buf_adds(b, " href=\"");
	esc(b, url);
	th_buf_adds(b, "\"/>\n");
}

/* The media URLs of a post (borrowed), each once, in a new array: media_urls
 * (the fediverse's), else media_url, then a carousel's children's. */
static jv
media(jv rec)
{
	jv urls = th_jv_get(rec, "media_urls"), out = jv_array(), seen = jv_object();
	jv ch, data;
	char *u;

	if (jv_get_kind(urls) != JV_KIND_ARRAY) {
		jv_free(urls);
		urls = jv_array();
		if ((u = th_jv_strdup(rec, "media_url")) != NULL)
			urls = jv_array_append(urls, jv_string(u));
		free(u);
	}
	ch = th_jv_get(rec, "children");
	data = th_jv_get(ch, "data");
	if (jv_get_kind(data) == JV_KIND_ARRAY)
		jv_array_foreach(data, i, c) {
			if ((u = th_jv_strdup(c, "media_url")) != NULL)
				urls = jv_array_append(urls, jv_string(u));
			free(u);
			jv_free(c);
		}
	jv_free(data);
	jv_free(ch);
	jv_array_foreach(urls, i, v) {
		if (jv_get_kind(v) == JV_KIND_STRING &&
		    !jv_object_has(jv_copy(seen), jv_copy(v))) {
			seen = jv_object_set(seen, jv_copy(v), jv_true());
			out = jv_array_append(out, v);
		} else
			jv_free(v);
	}
	jv_free(urls);
	jv_free(seen);
	return out;
}

/* One <entry> for a post (borrowed) of time t and entry id eid. */
static void
entry(struct th_buf *b, jv rec, long long t, const char *eid)
{
	char when[32], src[TH_SRC_MAX], why[128], *text, *sum, *user, *perma;
	char *ttl, *kind;
	jv v, inner, m;

	v = th_jv_get(rec, "text");
	if (jv_get_kind(v) != JV_KIND_STRING) {	/* a boost that carries its post */
		jv_free(v);
		inner = th_jv_get(rec, "reposted_post");
		v = th_jv_get(inner, "text");
		jv_free(inner);
	}
	text = cleanjv(v);
	jv_free(v);
	v = th_jv_get(rec, "summary");	/* a fediverse content warning */
	sum = cleanjv(v);
	jv_free(v);
	v = th_jv_get(rec, "username");
	user = cleanjv(v);
	jv_free(v);
	v = th_jv_get(rec, "permalink");
	perma = cleanjv(v);
	jv_free(v);
	kind = th_jv_strdup(rec, "media_type");

	/* the warning first, as the post's own server shows it */
	if ((ttl = excerpt(sum)) == NULL && (ttl = excerpt(text)) == NULL)
		ttl = th_strdup(kind != NULL && strcmp(kind, "REPOST_FACADE") == 0 ?
		    "(repost)" : "(no text)");

	th_buf_adds(b, "  <entry>\n    <id>");
	esc(b, eid);
	th_buf_adds(b, "</id>\n");
	element(b, "    ", "title", ttl);
	th_buf_adds(b, "    <author>\n");
	element(b, "      ", "name", *user != '\0' ? user : author != NULL ?
	    author : "unknown");
	/* a Threads account's profile; user@host has no address of that form */
	if (th_source(user, 1, src, why, sizeof(why)) == TH_SRC_USER)
		th_buf_printf(b, "      <uri>https://www.threads.com/%s</uri>\n", src);
	th_buf_adds(b, "    </author>\n");
	linkto(b, "alternate", "text/html", perma);
	m = media(rec);
	jv_array_foreach(m, i, u) {
		char *cu = cleanjv(u);
		linkto(b, "enclosure", mediatype(cu), cu);
		free(cu);
		jv_free(u);
	}
	jv_free(m);
	v = th_jv_get(rec, "link_attachment_url");	/* a link post's link */
	if (jv_get_kind(v) == JV_KIND_STRING) {
		char *cu = cleanjv(v);
		linkto(b, "related", NULL, cu);
		free(cu);
	}
	jv_free(v);
	rfc3339(t, when);
	th_buf_printf(b, "    <published>%s</published>\n", when);
	th_buf_printf(b, "    <updated>%s</updated>\n", when);
	th_buf_adds(b, "    <content type=\"text\">");
	esc(b, text);
	th_buf_adds(b, "</content>\n  </entry>\n");
	free(ttl);
	free(kind);
	free(perma);
	free(user);
	free(sum);
	free(text);
}

/*
 * Read the posts on stdin into *posts, newest first (ties in input
 * order): [time, entry id, record] each. Returns the status: 65 when a
 * line was malformed or no post.
 */
static int
readposts(jv *posts)
{
	struct th_ndjson nd;
	struct th_buf b = TH_BUF_INIT;
	jv rec, keys = jv_array(), items = jv_array();
	char *id;
	long long t;
	int rc, st = 0, n = 0;

	th_ndjson_open(&nd, stdin, "stdin");
	while ((rc = th_ndjson_next(&nd, &rec)) != 0) {
		if (rc != 1) {
			st = TH_EDATA;
			continue;
		}
		n++;
		id = th_jv_idstr(rec, "id");
		t = th_jv_time(rec, "timestamp");
		if (id == NULL || *id == '\0' || t < 0) {
			st = th_msg(TH_EDATA, "stdin:%ld: not a post (%s): skipped",
			    nd.lineno, id == NULL || *id == '\0' ? "no id" :
			    "no timestamp");
			free(id);
			jv_free(rec);
			continue;
		}
		th_buf_truncate(&b, 0);
		th_buf_add(&b, "", 0);
		entryid(&b, id);
		free(id);
		if (b.oom)
			th_die(TH_EIO, "out of memory");
		keys = jv_array_append(keys, jv_number(-(double)t));
		items = jv_array_append(items, JV_ARRAY(jv_number((double)t),
		    jv_string(b.s), rec));
	}
	th_ndjson_close(&nd);
	th_buf_free(&b);
	if (n == 0 && st == 0)
		th_msg(0, "no records on stdin: a feed without entries");
	/* jv_sort is stable: equal times keep their input order */
	*posts = jv_sort(items, keys);
	return st;
}

int
main(int argc, char **argv)
{
	struct th_buf b = TH_BUF_INIT;
	jv posts, seen, p, eid;
	const char *errstr;
	char when[32];
	long long kept = 0;
	int c, st;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "n:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_TITLE:
			title = optarg;
			break;
		case OPT_ID:
			feedid = optarg;
			break;
		case OPT_LINK:
			if (!weburl(optarg))
				th_die(TH_EUSAGE, "--link '%s': not an http(s) URL", optarg);
			selflink = optarg;
			break;
		case OPT_AUTHOR:
			author = optarg;
			break;
		case OPT_UPDATED:
			if ((updated = th_time_arg(optarg, time(NULL))) < 0)
				th_die(TH_EUSAGE, "--updated '%s': not a time "
				    "(2026-11-20T09:00:00Z, 2026-11-20, 3h)", optarg);
			break;
		case 'n':
			limit = strtonum(optarg, 1, 1000000, &errstr);
			if (errstr != NULL)
				th_die(TH_EUSAGE, "-n '%s': %s (1 to 1000000)",
				    optarg, errstr);
			break;
		case TH_OPT_JQ:
			th_die(TH_EUSAGE, "--jq: th-atom prints a feed, not records: "
			    "filter its input instead");
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	if (optind != argc)
		usage(TH_EUSAGE);

	st = readposts(&posts);
	/* the entries to print: each id once (the newest), at most -n */
	seen = jv_object();
	p = jv_array();
	jv_array_foreach(posts, i, e) {
		eid = jv_array_get(jv_copy(e), 1);
		if ((limit < 0 || kept < limit) && !jv_object_has(jv_copy(seen), jv_copy(eid))) {
			seen = jv_object_set(seen, eid, jv_true());
			p = jv_array_append(p, e);
			kept++;
		} else {
			jv_free(eid);
			jv_free(e);
		}
	}
	jv_free(posts);
	jv_free(seen);
	if (updated < 0 && kept > 0) {
		jv t = jv_array_get(jv_array_get(jv_copy(p), 0), 0);
		updated = th_jv_num(t);
		jv_free(t);
	}
	rfc3339(updated < 0 ? 0 : updated, when);

	th_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <id>");
	if (feedid != NULL) {
		jv f = jv_string(feedid);
		char *fid = cleanjv(f);
		esc(&b, fid);
		free(fid);
		jv_free(f);
	} else if (selflink != NULL)
		esc(&b, selflink);
	else {
		th_buf_adds(&b, TAG "feed/");
		pct(&b, title);
	}
	th_buf_adds(&b, "</id>\n");
	element(&b, "  ", "title", title);
	th_buf_printf(&b, "  <updated>%s</updated>\n", when);
	if (selflink != NULL) {
		th_buf_adds(&b, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
		esc(&b, selflink);
		th_buf_adds(&b, "\"/>\n");
	}
	if (author != NULL) {
		th_buf_adds(&b, "  <author>\n");
		element(&b, "    ", "name", author);
		th_buf_adds(&b, "  </author>\n");
	}
	th_buf_adds(&b, "  <generator>th</generator>\n");
	jv_array_foreach(p, i, e) {
		jv t = jv_array_get(jv_copy(e), 0);
		jv id = jv_array_get(jv_copy(e), 1);
		jv rec = jv_array_get(jv_copy(e), 2);
		entry(&b, rec, th_jv_num(t), jv_string_value(id));
		jv_free(t);
		jv_free(id);
		jv_free(rec);
		jv_free(e);
	}
	jv_free(p);
	th_buf_adds(&b, "</feed>\n");
	if (b.oom)
		th_die(TH_EIO, "out of memory");

	/* a reader gone away (EPIPE) is an end, not news, as in out.c */
	if ((fwrite(b.s, 1, b.len, stdout) != b.len || fflush(stdout) == EOF) &&
	    errno != EPIPE)
		st = th_msg(TH_EIO, "cannot write output: %s", strerror(errno));
	th_buf_free(&b);
	th_exit(st);
}
