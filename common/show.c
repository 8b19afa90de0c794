/*
 * show: NDJSON records for a person at a terminal, th-show's renderer.
 * Posts get a header (@user, time in the local zone, whom a repost
 * repeats), their text wrapped to the width (wide characters counted by
 * wcwidth()), media, quote, repost and permalink; profiles, th-stats records and quotas get a line or two; a
 * th-stats time series becomes one sparkline. Every string from a record
 * goes through th_text_visible() first: post text is untrusted.
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "buf.h"
#include "json.h"
#include "msg.h"
#include "show.h"
#include "text.h"

#define BOLD	"\033[1m"
#define DIM	"\033[2m"
#define OFF	"\033[0m"
#define MAXDEPTH 8	/* replies indented no deeper */

void
th_show_term(struct th_show *o, int fd, int width)
{
	struct winsize ws;
	const char *e, *errstr;

	memset(o, 0, sizeof(*o));
	o->width = width > 0 ? width : 80;
	o->utf8 = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	o->relative = isatty(fd);
	o->colour = o->relative && ((e = getenv("NO_COLOR")) == NULL || e[0] == '\0') &&
	    ((e = getenv("TERM")) == NULL || strcmp(e, "dumb") != 0);
	if (width <= 0 && o->relative && ioctl(fd, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 20)
		o->width = ws.ws_col;
	else if (width <= 0 && (e = getenv("COLUMNS")) != NULL &&
	    strtonum(e, 20, 1000, &errstr) > 0)
		o->width = (int)strtonum(e, 20, 1000, &errstr);
	o->now = time(NULL);
}

/* ---- untrusted text made harmless -------------------------------------- */

/* s with every control made visible (text.h); newlines kept when nl is set. */
static char *
clean(const char *s, int nl)
{
	char *c = th_text_visible(s, strlen(s), nl ? TH_TEXT_NL : 0);

	if (c == NULL)
		th_die(TH_EIO, "out of memory");
	return c;
}

/* The string member k of o, made harmless, malloc'd; NULL when absent. */
static char *
str(jv o, const char *k)
{
	char *s = th_jv_strdup(o, k), *c;

	if (s == NULL)
		return NULL;
	c = clean(s, 0);
	free(s);
	return c;
}

static void
pad(struct th_buf *b, int n)
{
	for (int k = 0; k < n; k++)
		th_buf_add(b, " ", 1);
}

/* Display columns of one code point. */
static int
cols(const struct th_show *o, const char *s, size_t n)
{
	wchar_t wc;
	mbstate_t st;
	int w;

	if (!o->utf8)
		return 1;
	memset(&st, 0, sizeof(st));
	if (mbrtowc(&wc, s, n, &st) != n)
		return 1;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/* Columns of the word s[0..n). */
static int
wordcols(const struct th_show *o, const char *s, size_t n)
{
	size_t j, k;
	uint32_t cp;
	int w = 0;

	for (j = 0; j < n; j += k) {
		k = th_text_decode(s + j, n - j, &cp);
		k = k ? k : 1;
		w += cols(o, s + j, k);
	}
	return w;
}

/* Wrap clean text to width - indent, each line indented. */
static void
wrap(struct th_buf *b, const struct th_show *o, const char *text, int indent)
{
	int avail = o->width - indent, col, w;
	size_t i = 0, len = strlen(text), n, ws, we, j;
	uint32_t cp;

	if (avail < 20)
		avail = 20;
	while (i <= len) {
		/* one paragraph line: up to \n or the end */
		size_t end = i;
		while (end < len && text[end] != '\n')
			end++;
		col = 0;
		pad(b, indent);
		while (i < end) {
			/* the next word and the spaces before it */
			ws = i;
			while (ws < end && text[ws] == ' ')
				ws++;
			we = ws;
			while (we < end && text[we] != ' ')
				we++;
			w = wordcols(o, text + ws, we - ws);
			if (col > 0 && col + (int)(ws - i) + w > avail) {
				th_buf_add(b, "\n", 1);
				pad(b, indent);
				col = 0;
			} else if (col > 0) {
				th_buf_add(b, text + i, ws - i);
				col += (int)(ws - i);
			}
			/* a word longer than the line is cut */
			for (j = ws; j < we; j += n) {
				n = th_text_decode(text + j, we - j, &cp);
				n = n ? n : 1;
				w = cols(o, text + j, n);
				if (col > 0 && col + w > avail) {
					th_buf_add(b, "\n", 1);
					pad(b, indent);
					col = 0;
				}
				th_buf_add(b, text + j, n);
				col += w;
			}
			i = we;
		}
		th_buf_add(b, "\n", 1);
		i = end + 1;
	}
}

/* ---- records ----------------------------------------------------------- */

static const char *
on(const struct th_show *o, const char *code)
{
	return o->colour ? code : "";
}

void
th_show_time(const struct th_show *o, long long t, char *buf, size_t size)
{
	struct tm tm, today;
	time_t tt = (time_t)t, now = (time_t)o->now;
	long long d = o->now - t;
	char rel[24], at[48];
	const char *zone = o->utc ? " UTC" : "";

	if (t <= 0) {
		snprintf(buf, size, "?");
		return;
	}
	/* a year past int has no date: tm would be left as it was */
	if (o->utc ? gmtime_r(&tt, &tm) == NULL || gmtime_r(&now, &today) == NULL :
	    localtime_r(&tt, &tm) == NULL || localtime_r(&now, &today) == NULL) {
		snprintf(buf, size, "?");
		return;
	}
	if (!o->relative || d < 0 || d >= 7 * 86400) {
		/* a file has no "now" and no zone it is read in: name it */
		strftime(at, sizeof(at), !o->relative && !o->utc ?
		    "%Y-%m-%d %H:%M %Z" : "%Y-%m-%d %H:%M", &tm);
		snprintf(buf, size, "%s%s", at, zone);
		return;
	}
	if (d < 60)
		snprintf(rel, sizeof(rel), "now");
	else if (d < 3600)
		snprintf(rel, sizeof(rel), "%lldm ago", d / 60);
	else if (d < 86400)
		snprintf(rel, sizeof(rel), "%lldh ago", d / 3600);
	else
		snprintf(rel, sizeof(rel), "%lldd ago", d / 86400);
	/* the time of day always: two posts of one day can be told apart */
	strftime(at, sizeof(at), tm.tm_year == today.tm_year &&
	    tm.tm_yday == today.tm_yday ? "%H:%M" : "%a %H:%M", &tm);
	snprintf(buf, size, "%s%s (%s)", at, zone, rel);
}

static int
has(jv o, const char *k)
{
	jv v = jv_object_get(jv_copy(o), jv_string(k));
	int r = jv_is_valid(v) && jv_get_kind(v) != JV_KIND_NULL;

	jv_free(v);
	return r;
}

/* The id of the object member key ({"id": ...}), malloc'd, or NULL. */
static char *
childid(jv p, const char *key)
{
	jv q = jv_object_get(jv_copy(p), jv_string(key));
	char *x = th_jv_idstr(q, "id");

	jv_free(q);
	return x;
}

/*
 * An ActivityPub actor's URL as @name@host, in the two shapes Mastodon
 * and most servers use (/users/name, /@name); any other as it is.
 */
static char *
actor(const char *a)
{
	const char *h, *p, *n;
	char *r;

	if ((h = strstr(a, "://")) == NULL || (p = strchr(h + 3, '/')) == NULL)
		return th_strdup(a);
	h += 3;
	if (strncmp(p, "/users/", 7) == 0)
		n = p + 7;
	else if (strncmp(p, "/@", 2) == 0)
		n = p + 2;
	else
		return th_strdup(a);
	if (*n == '\0' || strpbrk(n, "/?#@") != NULL)
		return th_strdup(a);
	if (asprintf(&r, "%s@%.*s", n, (int)(p - h), h) == -1)
		th_die(TH_EIO, "out of memory");
	return r;
}

/*
 * Whose post repost p repeats, made harmless, malloc'd; NULL when the
 * record does not say. Threads sends reposted_post as {"id"} alone; a
 * username there comes from th-show's input or a client that asked for
 * it; a fediverse boost has attributed_to (an actor URL, or user@host
 * through Mastodon's API).
 */
static char *
author(jv p)
{
	jv q = th_jv_get(p, "reposted_post");
	char *u = str(q, "username"), *a;

	if (u == NULL && (a = str(q, "attributed_to")) != NULL) {
		u = actor(a);
		free(a);
	}
	jv_free(q);
	return u;
}

static int
isrepost(jv p)
{
	char *mt = th_jv_strdup(p, "media_type");
	int r = mt != NULL && strcmp(mt, "REPOST_FACADE") == 0;

	free(mt);
	return r;
}

/* "[what id]" under a post, for its quoted_post or reposted_post. */
static void
child(struct th_buf *b, jv p, const char *key, const char *what, int ind)
{
	char *x;

	if ((x = childid(p, key)) == NULL)
		return;
	pad(b, ind);
	th_buf_printf(b, "[%s %s]\n", what, x);
	free(x);
}

static void
post(struct th_buf *b, const struct th_show *o, jv p, int depth)
{
	char t[64], *u = str(p, "username"), *text = th_jv_strdup(p, "text"), *mt, *url,
	    *perm, *who = NULL;
	int ind = 2 * depth, repost = isrepost(p);
	jv q;

	pad(b, ind);
	th_show_time(o, th_jv_time(p, "timestamp"), t, sizeof(t));
	th_buf_printf(b, "%s@%s%s", on(o, BOLD), u ? u : "?", on(o, OFF));
	if (repost) {
		/* a repost has no text of its own: say what it repeats */
		th_buf_adds(b, " reposted");
		if ((who = author(p)) != NULL)
			th_buf_printf(b, " %s%s%s%s", on(o, BOLD), who[0] == '@' ? "" : "@",
			    who, on(o, OFF));
		if (text == NULL) {
			q = th_jv_get(p, "reposted_post");
			text = th_jv_strdup(q, "text");
			jv_free(q);
		}
	}
	th_buf_printf(b, "%s \xc2\xb7 %s%s\n", on(o, DIM), t, on(o, OFF));	/* · */
	if (text != NULL && text[0] != '\0') {
		char *ct = clean(text, 1);
		wrap(b, o, ct, ind + 2);
		free(ct);
	}
	mt = str(p, "media_type");
	url = str(p, "media_url");
	if (mt != NULL && strcmp(mt, "TEXT_POST") != 0 && strcmp(mt, "REPOST_FACADE") != 0) {
		pad(b, ind + 2);
		th_buf_printf(b, "[%s]", mt);
		if (url != NULL)
			th_buf_printf(b, " %s", url);
		th_buf_add(b, "\n", 1);
	}
	child(b, p, "quoted_post", "quoting", ind + 2);
	child(b, p, "reposted_post", "repost of", ind + 2);
	if ((perm = str(p, "permalink")) != NULL) {
		pad(b, ind + 2);
		th_buf_printf(b, "%s%s%s\n", on(o, DIM), perm, on(o, OFF));
	}
	th_buf_add(b, "\n", 1);
	free(u);
	free(text);
	free(mt);
	free(url);
	free(perm);
	free(who);
}

static void
profile(struct th_buf *b, const struct th_show *o, jv p)
{
	char *u = str(p, "username"), *name = str(p, "name"), *bio, n[32];
	jv v;

	th_buf_printf(b, "%s@%s%s", on(o, BOLD), u ? u : "?", on(o, OFF));
	if (name != NULL)
		th_buf_printf(b, " (%s)", name);
	v = jv_object_get(jv_copy(p), jv_string("is_verified"));
	if (jv_get_kind(v) == JV_KIND_TRUE)
		th_buf_adds(b, " verified");
	jv_free(v);
	th_buf_add(b, "\n", 1);
	if (((bio = th_jv_strdup(p, "biography")) != NULL ||
	    (bio = th_jv_strdup(p, "threads_biography")) != NULL) && bio[0] != '\0') {
		char *cb = clean(bio, 1);
		wrap(b, o, cb, 2);
		free(cb);
	}
	v = jv_object_get(jv_copy(p), jv_string("follower_count"));
	if (jv_get_kind(v) == JV_KIND_NUMBER) {
		snprintf(n, sizeof(n), "%.0f", jv_number_value(v));
		th_buf_printf(b, "  followers %s\n", n);
	}
	jv_free(v);
	th_buf_add(b, "\n", 1);
	free(u);
	free(name);
	free(bio);
}

/* A th-stats --quota record. */
static void
quota(struct th_buf *b, const struct th_show *o, jv q)
{
	char *name = str(q, "quota"), line[160], t[64];
	jv u = jv_object_get(jv_copy(q), jv_string("used")),
	    tot = jv_object_get(jv_copy(q), jv_string("total"));
	int both = jv_get_kind(u) == JV_KIND_NUMBER && jv_get_kind(tot) == JV_KIND_NUMBER;
	double used = jv_get_kind(u) == JV_KIND_NUMBER ? jv_number_value(u) : 0,
	    total = jv_get_kind(tot) == JV_KIND_NUMBER ? jv_number_value(tot) : 0;
	long long f = th_jv_time(q, "frees_at");

	jv_free(u);
	jv_free(tot);
	snprintf(line, sizeof(line), "%-8s %5.0f/%-5.0f used, %.0f left", name ? name : "?",
	    used, total, both && total > used ? total - used : 0);
	free(name);
	th_buf_adds(b, line);
	if (f > 0) {
		th_show_time(&(struct th_show){ .utc = o->utc }, f, t, sizeof(t));
		th_buf_printf(b, ", frees up %s", t);
	}
	th_buf_add(b, "\n", 1);
}

/* One member: its key, sep, its value (a string as it is, else JSON). */
static void
member(struct th_buf *b, jv k, jv v, const char *sep)
{
	char *s, *c;

	c = clean(jv_string_value(k), 0);
	th_buf_adds(b, c);
	free(c);
	th_buf_adds(b, sep);
	if (jv_get_kind(v) == JV_KIND_STRING)
		c = clean(jv_string_value(v), 0);
	else {
		s = th_json_dump(jv_copy(v));
		c = clean(s ? s : "?", 0);
		free(s);
	}
	th_buf_adds(b, c);
	free(c);
}

/*
 * Any other record: "key value" pairs on one line when they fit the
 * width (th-list, th-hide, th-delete), else one "key: value" a line and
 * a blank line, so that a long record (th-auth status) is not a line
 * the terminal folds at random.
 */
static void
generic(struct th_buf *b, const struct th_show *o, jv r)
{
	size_t start = b->len;
	int first = 1;

	jv_object_foreach(r, k, v) {
		if (!first)
			th_buf_adds(b, "  ");
		first = 0;
		member(b, k, v, " ");
		jv_free(k);
		jv_free(v);
	}
	if (b->len == start || b->oom ||
	    wordcols(o, b->s + start, b->len - start) <= o->width) {
		th_buf_add(b, "\n", 1);
		return;
	}
	th_buf_truncate(b, start);
	jv_object_foreach(r, k, v) {
		member(b, k, v, ": ");
		th_buf_add(b, "\n", 1);
		jv_free(k);
		jv_free(v);
	}
	th_buf_add(b, "\n", 1);
}

/* The metric of series record i, 0 when it is not a number. */
static double
metricat(jv series, int i, const char *metric)
{
	jv x = jv_object_get(jv_array_get(jv_copy(series), i), jv_string(metric));
	double v = jv_get_kind(x) == JV_KIND_NUMBER ? jv_number_value(x) : 0;

	jv_free(x);
	return v;
}

/* A th-stats time series ({date, metric}...) as one sparkline. */
static void
spark(struct th_buf *b, const struct th_show *o, jv series, const char *metric)
{
	static const char *const bars[] = { "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = "_.-~=+*#";
	double v, min = 0, max = 0, sum = 0, f;
	int i, n = jv_array_length(jv_copy(series)), k;
	char *d0 = NULL, *d1 = NULL, line[128], *m = clean(metric, 0);
	jv r;

	for (i = 0; i < n; i++) {
		v = metricat(series, i, metric);
		if (i == 0 || v < min)
			min = v;
		if (i == 0 || v > max)
			max = v;
		sum += v;
		r = jv_array_get(jv_copy(series), i);
		if (i == 0)
			d0 = str(r, "date");
		if (i == n - 1)
			d1 = str(r, "date");
		jv_free(r);
	}
	snprintf(line, sizeof(line), "%s..%s ", d0 ? d0 : "?", d1 ? d1 : "?");
	th_buf_printf(b, "%s %s", m, line);
	for (i = 0; i < n; i++) {
		v = metricat(series, i, metric);
		f = max > min ? (v - min) / (max - min) * 7 + 0.5 : 3;
		k = f >= 0 && f < 8 ? (int)f : f >= 8 ? 7 : 0;	/* NaN: 0 */
		if (o->utf8)
			th_buf_adds(b, bars[k]);
		else
			th_buf_add(b, &ascii[k], 1);
	}
	snprintf(line, sizeof(line), " min %.0f max %.0f total %.0f\n", min, max, sum);
	th_buf_adds(b, line);
	free(d0);
	free(d1);
	free(m);
}

/* The one numeric metric of a {date, metric} record, or NULL. */
static char *
seriesmetric(jv o)
{
	char *m = NULL;
	int n = 0;

	if (!has(o, "date"))
		return NULL;
	jv_object_foreach(o, k, v) {
		if (strcmp(jv_string_value(k), "date") != 0) {
			n++;
			if (jv_get_kind(v) == JV_KIND_NUMBER && m == NULL)
				m = th_strdup(jv_string_value(k));
		}
		jv_free(k);
		jv_free(v);
	}
	if (n != 1) {
		free(m);
		return NULL;
	}
	return m;
}

/* A th-stats --demographics record: {breakdown, dimension, followers}. */
static int
isdemo(jv o)
{
	return has(o, "breakdown") && has(o, "followers") &&
	    jv_object_length(jv_copy(o)) == 3 && jv_object_has(jv_copy(o),
	    jv_string("dimension"));
}

/* The breakdown of record i of recs, malloc'd, or NULL. */
static char *
demoat(jv recs, int i)
{
	jv r = jv_array_get(jv_copy(recs), i);
	char *b = jv_get_kind(r) == JV_KIND_OBJECT && isdemo(r) ?
	    th_jv_strdup(r, "breakdown") : NULL;

	jv_free(r);
	return b;
}

/*
 * A run of demographics records (borrowed) as a small table: a title,
 * then a line a dimension, its followers, its share of the run and a
 * bar as long as its share of the largest (20 columns at most).
 */
static void
demotable(struct th_buf *b, const struct th_show *o, jv run)
{
	int i, k, n = jv_array_length(jv_copy(run)), w = 1, dw;
	double v, sum = 0, max = 0;
	char *bd = NULL, *d;
	jv r;

	for (i = 0; i < n; i++) {
		r = jv_array_get(jv_copy(run), i);
		v = metricat(run, i, "followers");
		sum += v;
		max = v > max ? v : max;
		if (i == 0)
			bd = str(r, "breakdown");
		if ((d = str(r, "dimension")) != NULL && (dw = wordcols(o, d,
		    strlen(d))) > w)
			w = dw > 30 ? 30 : dw;
		free(d);
		jv_free(r);
	}
	th_buf_printf(b, "%sfollowers by %s%s\n", on(o, BOLD), bd ? bd : "?", on(o, OFF));
	for (i = 0; i < n; i++) {
		r = jv_array_get(jv_copy(run), i);
		v = metricat(run, i, "followers");
		d = str(r, "dimension");
		th_buf_printf(b, "  %s", d ? d : "?");
		pad(b, w - (d ? wordcols(o, d, strlen(d)) : 1));
		th_buf_printf(b, " %7.0f %5.1f%% ", v, sum > 0 ? v / sum * 100 : 0.0);
		k = max > 0 && v > 0 ? (int)(v / max * 20 + 0.5) : 0;
		while (k-- > 0)
			th_buf_adds(b, o->utf8 ? "\xe2\x96\x88" : "#");	/* █ */
		th_buf_add(b, "\n", 1);
		free(d);
		jv_free(r);
	}
	free(bd);
}

static int
ispost(jv o)
{
	return has(o, "id") && has(o, "timestamp") && (has(o, "text") ||
	    has(o, "media_type") || has(o, "permalink"));
}

/* A record that is neither a post nor part of a series. */
static void
single(struct th_buf *b, const struct th_show *o, jv r)
{
	if (has(r, "quota") && has(r, "used") && has(r, "total"))
		quota(b, o, r);
	else if (isdemo(r)) {
		jv one = jv_array_append(jv_array(), jv_copy(r));
		demotable(b, o, one);
		jv_free(one);
	}
	else if (has(r, "username") && !has(r, "timestamp") && (has(r, "name") ||
	    has(r, "biography") || has(r, "threads_biography") ||
	    has(r, "follower_count") || has(r, "is_verified")))
		profile(b, o, r);	/* th-whois; th-auth status is no profile */
	else
		generic(b, o, r);
}

static void
checkmem(const struct th_buf *b)
{
	if (b->oom)
		th_die(TH_EIO, "out of memory");
}

void
th_show_record(struct th_buf *b, const struct th_show *o, jv rec, int depth)
{
	if (jv_get_kind(rec) != JV_KIND_OBJECT)
		return;
	if (ispost(rec))
		post(b, o, rec, depth);
	else
		single(b, o, rec);
	checkmem(b);
}

/* ---- a whole input ----------------------------------------------------- */

/* The id of the post r replies to, malloc'd, or NULL. */
static char *
parentid(jv r)
{
	return childid(r, "replied_to");
}

/*
 * Repost r (consumed) with the username of the post it repeats, when
 * that post is among recs and r does not say whose it is: Threads sends
 * reposted_post as {"id"} alone.
 */
static jv
reposted(jv recs, jv r)
{
	jv q, x;
	char *rid, *xid;
	int i, n;

	if (!isrepost(r))
		return r;
	q = th_jv_get(r, "reposted_post");
	if (jv_get_kind(q) != JV_KIND_OBJECT || has(q, "username") ||
	    has(q, "attributed_to") || (rid = th_jv_idstr(q, "id")) == NULL) {
		jv_free(q);
		return r;
	}
	n = jv_array_length(jv_copy(recs));
	for (i = 0; i < n; i++) {
		x = jv_array_get(jv_copy(recs), i);
		xid = th_jv_idstr(x, "id");
		if (xid != NULL && strcmp(xid, rid) == 0 && jv_get_kind(x) == JV_KIND_OBJECT &&
		    ispost(x) && has(x, "username"))
			q = jv_object_set(q, jv_string("username"), th_jv_get(x, "username"));
		free(xid);
		jv_free(x);
	}
	free(rid);
	return jv_object_set(r, jv_string("reposted_post"), q);
}

/* Print post i, then its replies among the records, indented. */
static void
tree(struct th_buf *b, const struct th_show *o, jv recs, int i, int depth, char *shown)
{
	int n = jv_array_length(jv_copy(recs)), k;
	jv r = jv_array_get(jv_copy(recs), i);
	char *id = th_jv_idstr(r, "id"), *pid;

	shown[i] = 1;
	r = reposted(recs, r);
	post(b, o, r, depth);
	jv_free(r);
	for (k = 0; id != NULL && k < n; k++) {
		if (shown[k])
			continue;
		r = jv_array_get(jv_copy(recs), k);
		pid = parentid(r);
		if (pid != NULL && strcmp(pid, id) == 0 && ispost(r))
			tree(b, o, recs, k, depth + 1 > MAXDEPTH ? MAXDEPTH : depth + 1, shown);
		free(pid);
		jv_free(r);
	}
	free(id);
}

/* The ids of the posts among recs, as an object's keys: a reply goes
 * under its parent when the parent is there. */
static jv
postids(jv recs)
{
	int i, n = jv_array_length(jv_copy(recs));
	jv ids = jv_object(), r;
	char *id;

	for (i = 0; i < n; i++) {
		r = jv_array_get(jv_copy(recs), i);
		if (ispost(r) && (id = th_jv_idstr(r, "id")) != NULL) {
			ids = jv_object_set(ids, jv_string(id), jv_true());
			free(id);
		}
		jv_free(r);
	}
	return ids;
}

/* Is post r shown under its parent, one of ids (borrowed)? */
static int
under(jv r, jv ids)
{
	char *pid = parentid(r);
	jv has;
	int u;

	if (pid == NULL)
		return 0;
	has = jv_object_get(jv_copy(ids), jv_string(pid));
	u = jv_get_kind(has) == JV_KIND_TRUE;
	jv_free(has);
	free(pid);
	return u;
}

/* The run of series records from i on that share metric m: one sparkline. */
static void
series(struct th_buf *b, const struct th_show *o, jv recs, int i, const char *m,
    char *shown)
{
	int j, n = jv_array_length(jv_copy(recs));
	jv run = jv_array(), x;
	char *m2;

	for (j = i; j < n; j++) {
		x = jv_array_get(jv_copy(recs), j);
		m2 = seriesmetric(x);
		if (m2 == NULL || strcmp(m, m2) != 0) {
			free(m2);
			jv_free(x);
			break;
		}
		free(m2);
		run = jv_array_append(run, x);
		shown[j] = 1;
	}
	spark(b, o, run, m);
	jv_free(run);
}

/* The run of demographics records from i on with breakdown bd: one table. */
static void
demos(struct th_buf *b, const struct th_show *o, jv recs, int i, const char *bd,
    char *shown)
{
	int j, n = jv_array_length(jv_copy(recs));
	jv run = jv_array();
	char *b2;

	for (j = i; j < n; j++) {
		if ((b2 = demoat(recs, j)) == NULL || strcmp(b2, bd) != 0) {
			free(b2);
			break;
		}
		free(b2);
		run = jv_array_append(run, jv_array_get(jv_copy(recs), j));
		shown[j] = 1;
	}
	demotable(b, o, run);
	jv_free(run);
}

int
th_show_all(const struct th_show *o, jv recs, FILE *f)
{
	struct th_buf b = TH_BUF_INIT;
	int i, n = jv_array_length(jv_copy(recs)), rc = 0, err = 0;
	char *shown, *m;
	jv ids = postids(recs), r;

	if ((shown = calloc((size_t)n + 1, 1)) == NULL)
		th_die(TH_EIO, "out of memory");
	for (i = 0; i < n && rc == 0; i++) {
		if (shown[i])
			continue;
		r = jv_array_get(jv_copy(recs), i);
		if (ispost(r)) {
			if (!under(r, ids))
				tree(&b, o, recs, i, 0, shown);
		} else if ((m = seriesmetric(r)) != NULL) {
			series(&b, o, recs, i, m, shown);
			free(m);
		} else if ((m = demoat(recs, i)) != NULL) {
			demos(&b, o, recs, i, m, shown);
			free(m);
		} else if (jv_get_kind(r) == JV_KIND_OBJECT)
			single(&b, o, r);
		jv_free(r);
		checkmem(&b);
		if (b.len > 0 && fwrite(b.s, 1, b.len, f) != b.len) {
			rc = -1;
			err = errno;
		}
		th_buf_truncate(&b, 0);
	}
	th_buf_free(&b);
	free(shown);
	jv_free(ids);
	if (rc == -1)
		errno = err;
	return rc;
}
