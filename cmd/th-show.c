/*
 * th-show: NDJSON records for a person at a terminal.
 *
 *	th-timeline | th-show
 *
 * The one verb whose output is not NDJSON. Posts get a header (@user,
 * time: relative on a terminal), their text wrapped to the width, media
 * and permalink; a reply whose parent is in the input is shown indented
 * under it. Profiles, th-stats records and quotas get a line or two; a
 * th-stats time series becomes one sparkline. Post text is untrusted:
 * control characters, escape sequences and bidi overrides are shown as
 * visible text (^[ ^G <U+202E>), never passed to the terminal.
 */
#include <sys/ioctl.h>

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "cli.h"
#include "json.h"
#include "text.h"

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "width",	required_argument,	NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static int width = 80, tty, color, utf8;
static long long now;

static void
usage(int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f, "usage: th-show [-w width] < records.ndjson\n");
	th_exit(status);
}

/* ---- untrusted text made harmless ------------------------------------- */

struct buf {
	char	*s;
	size_t	 len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	char *ns;

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if ((ns = realloc(b->s, b->cap)) == NULL)
			th_die(TH_EIO, "out of memory");
		b->s = ns;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
puts0(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* s with every control made visible (text.h); newlines kept when nl is set. */
static char *
clean(const char *s, int nl)
{
	char *c = th_text_visible(s, strlen(s), nl ? TH_TEXT_NL : 0);

	if (c == NULL)
		th_die(TH_EIO, "out of memory");
	return c;
}

/* Display columns of one code point. */
static int
cols(const char *s, size_t n)
{
	wchar_t wc;
	mbstate_t st;
	int w;

	if (!utf8)
		return 1;
	memset(&st, 0, sizeof(st));
	if (mbrtowc(&wc, s, n, &st) != n)
		return 1;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/* Wrap clean text to width - indent, each line indented. */
static void
wrap(struct buf *out, const char *text, int indent)
{
	int avail = width - indent, col, w;
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
		for (j = 0; j < (size_t)indent; j++)
			put(out, " ", 1);
		while (i < end) {
			/* the next word and the spaces before it */
			ws = i;
			while (ws < end && text[ws] == ' ')
				ws++;
			we = ws;
			while (we < end && text[we] != ' ')
				we++;
			for (w = 0, j = ws; j < we; j += n) {
				n = th_text_decode(text + j, we - j, &cp);
				n = n ? n : 1;
				w += cols(text + j, n);
			}
			if (col > 0 && col + (int)(ws - i) + w > avail) {
				put(out, "\n", 1);
				for (j = 0; j < (size_t)indent; j++)
					put(out, " ", 1);
				col = 0;
			} else if (col > 0) {
				put(out, text + i, ws - i);
				col += (int)(ws - i);
			}
			/* a word longer than the line is cut */
			for (j = ws; j < we; j += n) {
				n = th_text_decode(text + j, we - j, &cp);
				n = n ? n : 1;
				w = cols(text + j, n);
				if (col > 0 && col + w > avail) {
					put(out, "\n", 1);
					for (size_t k = 0; k < (size_t)indent; k++)
						put(out, " ", 1);
					col = 0;
				}
				put(out, text + j, n);
				col += w;
			}
			i = we;
		}
		put(out, "\n", 1);
		i = end + 1;
	}
}

/* ---- records ----------------------------------------------------------- */

static const char *
on(const char *code)
{
	return color ? code : "";
}

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
when(long long t, char *buf, size_t size)
{
	long long d = now - t;

	if (t <= 0)
		snprintf(buf, size, "?");
	else if (tty && d >= 0 && d < 60)
		snprintf(buf, size, "now");
	else if (tty && d >= 0 && d < 3600)
		snprintf(buf, size, "%lldm", d / 60);
	else if (tty && d >= 0 && d < 86400)
		snprintf(buf, size, "%lldh", d / 3600);
	else if (tty && d >= 0 && d < 7 * 86400)
		snprintf(buf, size, "%lldd", d / 86400);
	else
		strftime(buf, size, tty ? "%Y-%m-%d" : "%Y-%m-%d %H:%M UTC",
		    gmtime(&(time_t){ (time_t)t }));
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

static void
post(struct buf *out, jv p, int depth)
{
	char t[32], *u = str(p, "username"), *text = th_jv_strdup(p, "text"), *mt, *url,
	    *perm, *x;
	int ind = 2 * depth;

	for (int k = 0; k < ind; k++)
		put(out, " ", 1);
	when(th_jv_time(p, "timestamp"), t, sizeof(t));
	puts0(out, on("\033[1m"));
	puts0(out, "@");
	puts0(out, u ? u : "?");
	puts0(out, on("\033[0m"));
	puts0(out, on("\033[2m"));
	puts0(out, " \xc2\xb7 ");	/* · */
	puts0(out, t);
	puts0(out, on("\033[0m"));
	put(out, "\n", 1);
	if (text != NULL && text[0] != '\0') {
		char *ct = clean(text, 1);
		wrap(out, ct, ind + 2);
		free(ct);
	}
	mt = str(p, "media_type");
	url = str(p, "media_url");
	if (mt != NULL && strcmp(mt, "TEXT_POST") != 0 && strcmp(mt, "REPOST_FACADE") != 0) {
		for (int k = 0; k < ind + 2; k++)
			put(out, " ", 1);
		puts0(out, "[");
		puts0(out, mt);
		puts0(out, "]");
		if (url != NULL) {
			puts0(out, " ");
			puts0(out, url);
		}
		put(out, "\n", 1);
	}
	if ((x = childid(p, "quoted_post")) != NULL) {
		for (int k = 0; k < ind + 2; k++)
			put(out, " ", 1);
		puts0(out, "[quoting ");
		puts0(out, x);
		puts0(out, "]\n");
		free(x);
	}
	if ((x = childid(p, "reposted_post")) != NULL) {
		for (int k = 0; k < ind + 2; k++)
			put(out, " ", 1);
		puts0(out, "[repost of ");
		puts0(out, x);
		puts0(out, "]\n");
		free(x);
	}
	if ((perm = str(p, "permalink")) != NULL) {
		for (int k = 0; k < ind + 2; k++)
			put(out, " ", 1);
		puts0(out, on("\033[2m"));
		puts0(out, perm);
		puts0(out, on("\033[0m"));
		put(out, "\n", 1);
	}
	put(out, "\n", 1);
	free(u);
	free(text);
	free(mt);
	free(url);
	free(perm);
}

static void
profile(struct buf *out, jv p)
{
	char *u = str(p, "username"), *name = str(p, "name"), *bio, n[32];
	jv v;

	puts0(out, on("\033[1m"));
	puts0(out, "@");
	puts0(out, u ? u : "?");
	puts0(out, on("\033[0m"));
	if (name != NULL) {
		puts0(out, " (");
		puts0(out, name);
		puts0(out, ")");
	}
	v = jv_object_get(jv_copy(p), jv_string("is_verified"));
	if (jv_get_kind(v) == JV_KIND_TRUE)
		puts0(out, " verified");
	jv_free(v);
	put(out, "\n", 1);
	if ((bio = th_jv_strdup(p, "biography")) != NULL ||
	    (bio = th_jv_strdup(p, "threads_biography")) != NULL) {
		char *cb = clean(bio, 1);
		wrap(out, cb, 2);
		free(cb);
	}
	v = jv_object_get(jv_copy(p), jv_string("follower_count"));
	if (jv_get_kind(v) == JV_KIND_NUMBER) {
		snprintf(n, sizeof(n), "%.0f", jv_number_value(v));
		puts0(out, "  followers ");
		puts0(out, n);
		put(out, "\n", 1);
	}
	jv_free(v);
	put(out, "\n", 1);
	free(u);
	free(name);
	free(bio);
}

/* A th-stats --quota record. */
static void
quota(struct buf *out, jv q)
{
	char *name = str(q, "quota"), line[160], t[40];
	jv u = jv_object_get(jv_copy(q), jv_string("used")),
	    tot = jv_object_get(jv_copy(q), jv_string("total"));
	long long f = th_jv_time(q, "frees_at");

	snprintf(line, sizeof(line), "%-8s %5.0f/%-5.0f used, %.0f left", name ? name : "?",
	    jv_get_kind(u) == JV_KIND_NUMBER ? jv_number_value(u) : 0,
	    jv_get_kind(tot) == JV_KIND_NUMBER ? jv_number_value(tot) : 0,
	    jv_get_kind(u) == JV_KIND_NUMBER && jv_get_kind(tot) == JV_KIND_NUMBER &&
	    jv_number_value(tot) > jv_number_value(u) ?
	    jv_number_value(tot) - jv_number_value(u) : 0);
	puts0(out, line);
	if (f > 0) {
		strftime(t, sizeof(t), "%Y-%m-%d %H:%M UTC", gmtime(&(time_t){ (time_t)f }));
		puts0(out, ", frees up ");
		puts0(out, t);
	}
	put(out, "\n", 1);
	jv_free(u);
	jv_free(tot);
	free(name);
}

/* Any other record: key: value pairs on one line. */
static void
generic(struct buf *out, jv o)
{
	char *s, *c;
	int first = 1;

	jv_object_foreach(o, k, v) {
		if (!first)
			puts0(out, "  ");
		first = 0;
		c = clean(jv_string_value(k), 0);
		puts0(out, c);
		free(c);
		puts0(out, " ");
		if (jv_get_kind(v) == JV_KIND_STRING)
			c = clean(jv_string_value(v), 0);
		else {
			s = th_json_dump(jv_copy(v));
			c = clean(s ? s : "?", 0);
			free(s);
		}
		puts0(out, c);
		free(c);
		jv_free(k);
		jv_free(v);
	}
	put(out, "\n", 1);
}

/* A th-stats time series ({date, metric}...) as one sparkline. */
static void
spark(struct buf *out, jv series, const char *metric)
{
	static const char *const bars[] = { "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = "_.-~=+*#";
	double v, min = 0, max = 0, sum = 0;
	int i, n = jv_array_length(jv_copy(series)), k;
	char *d0 = NULL, *d1 = NULL, line[128], *m = clean(metric, 0);
	jv r, x;

	for (i = 0; i < n; i++) {
		r = jv_array_get(jv_copy(series), i);
		x = jv_object_get(jv_copy(r), jv_string(metric));
		v = jv_get_kind(x) == JV_KIND_NUMBER ? jv_number_value(x) : 0;
		if (i == 0 || v < min)
			min = v;
		if (i == 0 || v > max)
			max = v;
		sum += v;
		if (i == 0)
			d0 = str(r, "date");
		if (i == n - 1)
			d1 = str(r, "date");
		jv_free(x);
		jv_free(r);
	}
	puts0(out, m);
	puts0(out, " ");
	snprintf(line, sizeof(line), "%s..%s ", d0 ? d0 : "?", d1 ? d1 : "?");
	puts0(out, line);
	for (i = 0; i < n; i++) {
		r = jv_array_get(jv_copy(series), i);
		x = jv_object_get(r, jv_string(metric));
		v = jv_get_kind(x) == JV_KIND_NUMBER ? jv_number_value(x) : 0;
		jv_free(x);
		{
			double f = max > min ? (v - min) / (max - min) * 7 + 0.5 : 3;
			k = f >= 0 && f < 8 ? (int)f : f >= 8 ? 7 : 0;	/* NaN: 0 */
		}
		if (utf8)
			puts0(out, bars[k]);
		else
			put(out, &ascii[k], 1);
	}
	snprintf(line, sizeof(line), " min %.0f max %.0f total %.0f\n", min, max, sum);
	puts0(out, line);
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
				m = strdup(jv_string_value(k));
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

static int
ispost(jv o)
{
	return has(o, "id") && has(o, "timestamp") && (has(o, "text") ||
	    has(o, "media_type") || has(o, "permalink"));
}

/* Print post i, then its replies among the records, indented. */
static void
tree(struct buf *out, jv recs, int i, int depth, char *shown)
{
	int n = jv_array_length(jv_copy(recs)), k;
	jv r = jv_array_get(jv_copy(recs), i), rt;
	char *id = th_jv_idstr(r, "id"), *pid;

	shown[i] = 1;
	post(out, r, depth);
	jv_free(r);
	for (k = 0; id != NULL && k < n; k++) {
		if (shown[k])
			continue;
		r = jv_array_get(jv_copy(recs), k);
		rt = jv_object_get(jv_copy(r), jv_string("replied_to"));
		pid = th_jv_idstr(rt, "id");
		jv_free(rt);
		if (pid != NULL && strcmp(pid, id) == 0 && ispost(r))
			tree(out, recs, k, depth + 1 > 8 ? 8 : depth + 1, shown);
		free(pid);
		jv_free(r);
	}
	free(id);
}

int
main(int argc, char **argv)
{
	struct th_ndjson nd;
	struct buf out = { NULL, 0, 0 };
	struct winsize ws;
	const char *e, *errstr;
	char *shown, *m, *m2, *pid;
	int c, i, n, rc, st = 0, j;
	jv rec, recs = jv_array(), r, series, rt, ids;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "w:", longopts, NULL)) != -1) {
		if (c == 'w') {
			width = (int)strtonum(optarg, 20, 1000, &errstr);
			if (errstr != NULL)
				th_die(TH_EUSAGE, "-w '%s': %s (20..1000)", optarg, errstr);
		} else if (!th_cli_common(c, optarg))
			usage(TH_EUSAGE);
	}
	if (optind != argc)
		usage(TH_EUSAGE);
	utf8 = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	tty = isatty(STDOUT_FILENO);
	color = tty && ((e = getenv("NO_COLOR")) == NULL || e[0] == '\0') &&
	    ((e = getenv("TERM")) == NULL || strcmp(e, "dumb") != 0);
	if (width == 80 && tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 20)
		width = ws.ws_col;
	else if (width == 80 && (e = getenv("COLUMNS")) != NULL &&
	    strtonum(e, 20, 1000, &errstr) > 0)
		width = (int)strtonum(e, 20, 1000, &errstr);
	now = time(NULL);

	th_ndjson_open(&nd, stdin, "stdin");
	while ((rc = th_ndjson_next(&nd, &rec)) != 0) {
		if (rc == 1)
			recs = jv_array_append(recs, rec);
		else
			st = TH_EDATA;
	}
	th_ndjson_close(&nd);

	n = jv_array_length(jv_copy(recs));
	if ((shown = calloc((size_t)n + 1, 1)) == NULL)
		th_die(TH_EIO, "out of memory");
	/* the ids of the posts present: replies go under their parent */
	ids = jv_object();
	for (i = 0; i < n; i++) {
		r = jv_array_get(jv_copy(recs), i);
		if (ispost(r) && (m = th_jv_idstr(r, "id")) != NULL) {
			ids = jv_object_set(ids, jv_string(m), jv_true());
			free(m);
		}
		jv_free(r);
	}
	for (i = 0; i < n; i++) {
		if (shown[i])
			continue;
		r = jv_array_get(jv_copy(recs), i);
		if (ispost(r)) {
			rt = jv_object_get(jv_copy(r), jv_string("replied_to"));
			pid = th_jv_idstr(rt, "id");
			jv_free(rt);
			if (pid != NULL) {
				jv has = jv_object_get(jv_copy(ids), jv_string(pid));
				int under = jv_get_kind(has) == JV_KIND_TRUE;
				jv_free(has);
				free(pid);
				if (under) {	/* shown under its parent */
					jv_free(r);
					continue;
				}
			}
			jv_free(r);
			tree(&out, recs, i, 0, shown);
		} else if ((m = seriesmetric(r)) != NULL) {
			/* a run of {date, metric}: one sparkline */
			series = jv_array();
			for (j = i; j < n; j++) {
				jv x = jv_array_get(jv_copy(recs), j);
				m2 = seriesmetric(x);
				if (m2 == NULL || strcmp(m, m2) != 0) {
					free(m2);
					jv_free(x);
					break;
				}
				free(m2);
				series = jv_array_append(series, x);
				shown[j] = 1;
			}
			spark(&out, series, m);
			jv_free(series);
			free(m);
			jv_free(r);
		} else if (has(r, "quota") && has(r, "used") && has(r, "total")) {
			quota(&out, r);
			jv_free(r);
		} else if (has(r, "username") && !has(r, "timestamp")) {
			profile(&out, r);
			jv_free(r);
		} else if (jv_get_kind(r) == JV_KIND_OBJECT) {
			generic(&out, r);
			jv_free(r);
		} else
			jv_free(r);
		/* write as we go: a long input shows up at once */
		if (out.len > 0 && fwrite(out.s, 1, out.len, stdout) != out.len)
			break;
		out.len = 0;
	}
	if (out.len > 0)
		fwrite(out.s, 1, out.len, stdout);
	free(out.s);
	free(shown);
	jv_free(ids);
	jv_free(recs);
	th_exit(st);
}
