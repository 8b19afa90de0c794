/*
 * deck.c: what th-deck is without its terminal. A view holds at most
 * max posts, newest first (a conversation: oldest first), each id once;
 * when full, the oldest goes, so memory stays bounded however long the
 * deck runs. Selection and pages are counted in the lines th-show's
 * renderer gives a post at a width, the same lines curses draws. The
 * deck file is one source a line; the verbs the deck runs get their
 * argv here, so a test can read it word for word.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deck.h"
#include "json.h"
#include "msg.h"
#include "store.h"

int
th_deck_view_init(struct th_deck_view *v, int max, int asc)
{
	memset(v, 0, sizeof(*v));
	v->max = max;
	v->asc = asc;
	return (v->p = calloc((size_t)max, sizeof(*v->p))) == NULL ? -1 : 0;
}

void
th_deck_view_empty(struct th_deck_view *v)
{
	int i;

	for (i = 0; i < v->n; i++) {
		jv_free(v->p[i].rec);
		free(v->p[i].id);
	}
	v->n = v->sel = v->top = 0;
}

void
th_deck_view_free(struct th_deck_view *v)
{
	th_deck_view_empty(v);
	free(v->p);
	v->p = NULL;
}

/* A record (consumed) into its place: newest first (oldest first in a
 * conversation), each id once. */
void
th_deck_add(struct th_deck_view *c, jv rec)
{
	char *id;
	long long t;
	int i, wasempty = c->n == 0, live = c->sel == 0 && c->top == 0;

	if (jv_get_kind(rec) != JV_KIND_OBJECT ||
	    (id = th_jv_idstr(rec, "id")) == NULL) {
		jv_free(rec);
		return;
	}
	for (i = 0; i < c->n; i++)
		if (strcmp(c->p[i].id, id) == 0) {
			/* the same post again: its newer record */
			jv_free(c->p[i].rec);
			c->p[i].rec = rec;
			free(id);
			return;
		}
	t = th_jv_time(rec, "timestamp");
	for (i = 0; i < c->n && (c->asc ? c->p[i].t <= t : c->p[i].t > t); i++)
		;
	if (i == c->max) {
		/* older than all of a full column */
		jv_free(rec);
		free(id);
		return;
	}
	if (c->n == c->max) {
		/* the oldest goes: memory stays bounded */
		c->n--;
		jv_free(c->p[c->n].rec);
		free(c->p[c->n].id);
	}
	memmove(&c->p[i + 1], &c->p[i], (size_t)(c->n - i) * sizeof(*c->p));
	c->p[i].rec = rec;
	c->p[i].id = id;
	c->p[i].t = t;
	c->p[i].hidden = 0;
	c->n++;
	/* a reader at the top stays with the newest; one who scrolled
	 * keeps the post and the view they had */
	if (!wasempty && !live) {
		if (i <= c->sel)
			c->sel++;
		if (i < c->top)
			c->top++;
	}
	if (c->sel >= c->n)
		c->sel = c->n - 1;
	if (c->top > c->sel)
		c->top = c->sel;
}

/* Each whole NDJSON line of s into v; returns the bytes used, what
 * comes after the last newline being left for more. */
size_t
th_deck_feed(struct th_deck_view *v, const char *s, size_t len)
{
	const char *nl;
	size_t off = 0;

	while (off < len && (nl = memchr(s + off, '\n', len - off)) != NULL) {
		th_deck_add(v, th_json_parse(s + off, (size_t)(nl - (s + off))));
		off = (size_t)(nl - s) + 1;
	}
	return off;
}

/* Post id out of v (it was deleted); 1 when it was there. */
int
th_deck_drop(struct th_deck_view *v, const char *id)
{
	int j;

	for (j = 0; j < v->n; j++)
		if (strcmp(v->p[j].id, id) == 0)
			break;
	if (j == v->n)
		return 0;
	jv_free(v->p[j].rec);
	free(v->p[j].id);
	memmove(&v->p[j], &v->p[j + 1], (size_t)(v->n - j - 1) * sizeof(*v->p));
	v->n--;
	if (v->sel > j || v->sel >= v->n)
		v->sel = v->sel > 0 ? v->sel - 1 : 0;
	if (v->top > v->sel)
		v->top = v->sel;
	return 1;
}

/* Mark post id hidden (or not) in v. */
void
th_deck_mark(struct th_deck_view *v, const char *id, int hidden)
{
	int j;

	for (j = 0; j < v->n; j++)
		if (strcmp(v->p[j].id, id) == 0)
			v->p[j].hidden = hidden;
}

/* ---- lines, selection, pages ------------------------------------------ */

/* Post i of v as th-show draws it w columns wide, in b (emptied first). */
void
th_deck_render(const struct th_deck_view *v, int i, struct th_show *so, int w,
    struct th_buf *b)
{
	th_buf_truncate(b, 0);
	so->width = w;
	th_show_record(b, so, v->p[i].rec, 0);
	if (b->oom)
		th_die(TH_EIO, "out of memory");
}

int
th_deck_lines(const struct th_buf *b)
{
	int n = 0;
	size_t i;

	for (i = 0; i < b->len; i++)
		n += b->s[i] == '\n';
	return n;
}

/* Scroll v so that its selected post shows whole in h lines (as far as
 * it can). */
void
th_deck_follow(struct th_deck_view *c, struct th_show *so, int w, int h)
{
	struct th_buf b = TH_BUF_INIT;
	int i, used;

	if (c->sel < c->top)
		c->top = c->sel;
	if (c->n == 0)
		return;		/* nothing to show: sel and top are 0 */
	for (;;) {
		used = 0;
		for (i = c->top; i <= c->sel; i++) {
			th_deck_render(c, i, so, w, &b);
			used += th_deck_lines(&b);
		}
		if (used <= h || c->top >= c->sel)
			break;
		c->top++;
	}
	th_buf_free(&b);
}

/* Post i selected, within 0 .. n - 1, and shown. */
void
th_deck_select(struct th_deck_view *v, int i, struct th_show *so, int w, int h)
{
	if (i >= v->n)
		i = v->n - 1;
	if (i < 0)
		i = 0;
	v->sel = i;
	th_deck_follow(v, so, w, h);
}

/* down: the first post not shown whole goes to the top, selected; up:
 * a screenful back. */
void
th_deck_page(struct th_deck_view *v, int down, struct th_show *so, int w, int h)
{
	struct th_buf b = TH_BUF_INIT;
	int i, used = 0;

	if (v->n == 0)
		return;
	if (down) {
		/* a post is shown whole when its blank line under it is
		 * all that is cut */
		for (i = v->top; i < v->n; i++) {
			th_deck_render(v, i, so, w, &b);
			if (used + th_deck_lines(&b) - 1 > h)
				break;
			used += th_deck_lines(&b);
		}
		if (i == v->top)
			i++;
		if (i >= v->n)
			v->sel = v->n - 1;
		else
			v->sel = v->top = i;
	} else {
		for (i = v->top - 1; i >= 0; i--) {
			th_deck_render(v, i, so, w, &b);
			if (used + th_deck_lines(&b) - 1 > h)
				break;
			used += th_deck_lines(&b);
		}
		i++;
		if (i == v->top && i > 0)
			i--;
		v->sel = v->top = i;
	}
	th_buf_free(&b);
	th_deck_follow(v, so, w, h);
}

/* ---- the deck file ----------------------------------------------------- */

/*
 * The columns of deck file NAME in dir/decks, each to fn: one source a
 * line, as in a list; blank lines and "# " comments skipped. Every bad
 * line named, then exits 65, as does a deck of no column.
 */
void
th_deck_read(const char *dir, const char *name, th_deck_col_fn *fn, void *arg)
{
	char path[PATH_MAX], out[TH_SRC_MAX], why[256], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int lineno = 0, bad = 0, n = 0;

	if (!th_list_valid_name(name))
		th_die(TH_EUSAGE, "%s: not a source, nor a deck name", name);
	if ((size_t)snprintf(path, sizeof(path), "%s/decks/%s", dir, name) >=
	    sizeof(path))
		th_die(TH_ECONFIG, "%s: path too long", name);
	if ((f = fopen(path, "r")) == NULL)
		th_die(errno == ENOENT ? TH_EUSAGE : TH_ECONFIG, "deck %s: %s: %s",
		    name, path, strerror(errno));
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
		    line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		if (len == 0 || strcmp(line, "#") == 0 || strncmp(line, "# ", 2) == 0)
			continue;
		if (th_source(line, 0, out, why, sizeof(why)) == TH_SRC_BAD) {
			bad = th_msg(TH_EDATA, "%s:%d: %s", path, lineno, why);
			continue;
		}
		fn(out, arg);
		n++;
	}
	free(line);
	fclose(f);
	if (bad)
		th_exit(TH_EDATA);
	if (n == 0)
		th_die(TH_EDATA, "%s: no columns in the deck", path);
}

/*
 * The n sources, one a line, to deck file NAME in dir/decks, replaced
 * atomically; its path in path. Returns 0, or -1 with errno set (EINVAL:
 * NAME is no name; ENAMETOOLONG: path is "").
 */
int
th_deck_write(const char *dir, const char *name, const char *const *srcs,
    int n, char *path, size_t pathsz)
{
	struct th_buf b = TH_BUF_INIT;
	char ddir[PATH_MAX];
	int i, rc;

	path[0] = '\0';
	if (!th_list_valid_name(name)) {
		errno = EINVAL;
		return -1;
	}
	if ((size_t)snprintf(ddir, sizeof(ddir), "%s/decks", dir) >= sizeof(ddir) ||
	    (size_t)snprintf(path, pathsz, "%s/%s", ddir, name) >= pathsz) {
		path[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	for (i = 0; i < n; i++) {
		th_buf_add(&b, srcs[i], strlen(srcs[i]));
		th_buf_add(&b, "\n", 1);
	}
	if (b.oom)
		th_die(TH_EIO, "out of memory");
	rc = th_store_mkdirs(ddir, 0700) == -1 ||
	    th_store_replace(path, b.s, b.len, 0644) == -1 ? -1 : 0;
	th_buf_free(&b);
	return rc;
}

/* ---- the verbs it runs ------------------------------------------------- */

/* A reader's exit status in words, for its column. */
const char *
th_deck_inwords(int status)
{
	switch (status) {
	case 0: return "it ended";
	case TH_EFAIL: return "the API refused it";
	case TH_EUSAGE: return "usage error";
	case TH_EDATA: return "bad input data";
	case TH_EUNAVAIL: return "the service is unavailable";
	case TH_EIO: return "output error";
	case TH_ETEMP: return "rate limited or out of quota: try later";
	case TH_EAUTH: return "not authorised";
	case TH_ECONFIG: return "configuration error";
	case 127: return "th-timeline could not be run";
	default: return "it failed";
	}
}

/* The verb of action kind. */
const char *
th_deck_verb(int kind)
{
	static const char *verbs[] = { NULL, "th-post", "th-delete", "th-repost",
	    "th-hide", "th-hide" };

	return kind >= TH_DECK_REPLY && kind <= TH_DECK_UNHIDE ? verbs[kind] : NULL;
}

/* A column's reader: `th-timeline -f --json -n N --interval S [-a A] --
 * SRC`, the first screenful (at most 30), then what appears. The numbers
 * are written in nbuf and ibuf, which argv points to. Returns argc. */
int
th_deck_follow_argv(const char *argv[TH_DECK_ARGV], char nbuf[32],
    char ibuf[32], long max, long interval, const char *account,
    const char *src)
{
	int i = 0;

	snprintf(nbuf, 32, "%ld", max < 30 ? max : 30);
	snprintf(ibuf, 32, "%ld", interval);
	argv[i++] = "th-timeline";
	argv[i++] = "-f";
	argv[i++] = "--json";
	argv[i++] = "-n";
	argv[i++] = nbuf;
	argv[i++] = "--interval";
	argv[i++] = ibuf;
	if (account != NULL) {
		argv[i++] = "-a";
		argv[i++] = account;
	}
	argv[i++] = "--";
	argv[i++] = src;
	argv[i] = NULL;
	return i;
}

/* A post's conversation: `th-timeline --json -n MAX-1 [-a A] -c ID`,
 * every reply at any depth, which with the post fill a view. */
int
th_deck_conv_argv(const char *argv[TH_DECK_ARGV], char nbuf[32], long max,
    const char *account, const char *id)
{
	int i = 0;

	snprintf(nbuf, 32, "%ld", max - 1);
	argv[i++] = "th-timeline";
	argv[i++] = "--json";
	argv[i++] = "-n";
	argv[i++] = nbuf;
	if (account != NULL) {
		argv[i++] = "-a";
		argv[i++] = account;
	}
	argv[i++] = "-c";
	argv[i++] = id;
	argv[i] = NULL;
	return i;
}

/* Action kind (not a reply) on post id: th-delete, th-repost, th-hide
 * [-u], with --json for the status line to read. Returns argc. */
int
th_deck_verb_argv(const char *argv[TH_DECK_ARGV], int kind,
    const char *account, const char *id)
{
	int i = 0;

	argv[i++] = th_deck_verb(kind);
	argv[i++] = "--json";
	if (kind == TH_DECK_UNHIDE)
		argv[i++] = "-u";
	if (account != NULL) {
		argv[i++] = "-a";
		argv[i++] = account;
	}
	argv[i++] = "--";
	argv[i++] = id;
	argv[i] = NULL;
	return i;
}

/* The key of a reply: deck-ID-HASH, HASH a 64-bit FNV-1a of the text,
 * so the same text to the same post is the same key and th-post's
 * ledger posts it once, however often R is tried. */
void
th_deck_reply_key(char *key, size_t keysz, const char *id, const char *text,
    size_t len)
{
	unsigned long long h = 1469598103934665603ULL;

	while (len-- > 0) {
		h ^= (unsigned char)*text++;
		h *= 1099511628211ULL;
	}
	snprintf(key, keysz, "deck-%s-%016llx", id, h);
}

/* `th-post --json -k KEY -r ID [-a A] -F FILE`. Returns argc. */
int
th_deck_reply_argv(const char *argv[TH_DECK_ARGV], const char *key,
    const char *account, const char *id, const char *file)
{
	int i = 0;

	argv[i++] = "th-post";
	argv[i++] = "--json";
	argv[i++] = "-k";
	argv[i++] = key;
	argv[i++] = "-r";
	argv[i++] = id;
	if (account != NULL) {
		argv[i++] = "-a";
		argv[i++] = account;
	}
	argv[i++] = "-F";
	argv[i++] = file;
	argv[i] = NULL;
	return i;
}
