/*
 * html: the HTML subset of fediverse posts, as plain text. One pass over
 * the bytes with a little state: whitespace and line breaks are held
 * back until the next visible character, so that they collapse, never
 * end a line and never start or end the text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "html.h"

/* The text so far, and what is held back or open. */
struct conv {
	struct th_buf out;	/* the text; its oom ends the conversion */
	int	 space;		/* a space is pending */
	int	 breaks;	/* newlines pending, 0..2 */
	int	 pre;		/* inside <pre>: whitespace as it is */
	int	 bullet;	/* a list item's "- " is due before its text */
	long	 link;		/* where the open link's text starts, or -1 */
	char	*href;		/* the open link's address */
};

/* Visible text: the held-back break or space goes out first. */
static void
text(struct conv *b, const char *s, size_t n)
{
	if (b->out.len > 0) {
		if (b->breaks > 0)
			th_buf_add(&b->out, "\n\n", (size_t)b->breaks);
		else if (b->space)
			th_buf_add(&b->out, " ", 1);
	}
	b->breaks = b->space = 0;
	if (b->bullet) {
		b->bullet = 0;
		th_buf_add(&b->out, "- ", 2);
	}
	th_buf_add(&b->out, s, n);
}

static void
brk(struct conv *b, int n)
{
	if (n > b->breaks)
		b->breaks = n;
	b->space = 0;
}

static void
utf8(struct conv *b, unsigned long c)
{
	char u[4];

	if (c == 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		c = 0xfffd;
	if (c < 0x80) {
		u[0] = (char)c;
		text(b, u, 1);
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		text(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		text(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		text(b, u, 4);
	}
}

static const struct {
	const char	*name;
	unsigned long	 c;
} named[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", ' ' }, { "hellip", 0x2026 },
	{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
	{ "laquo", 0xab }, { "raquo", 0xbb }, { "copy", 0xa9 },
	{ "reg", 0xae }, { "trade", 0x2122 }, { "euro", 0x20ac },
	{ "pound", 0xa3 }, { "yen", 0xa5 }, { "cent", 0xa2 },
	{ "middot", 0xb7 }, { "bull", 0x2022 }, { "times", 0xd7 },
	{ "deg", 0xb0 }, { "shy", 0xad }, { "zwj", 0x200d },
	{ "zwnj", 0x200c }, { "lrm", 0x200e }, { "rlm", 0x200f },
};

/* A character reference at s ('&'): its code point, and its length in
 * *n; 0 when it is not one (the '&' is then text). */
static unsigned long
charref(const char *s, const char *end, size_t *n)
{
	const char *p = s + 1;
	unsigned long c = 0;
	size_t i, k;
	int digits = 0, hex;

	if (p < end && *p == '#') {
		p++;
		hex = p < end && (*p == 'x' || *p == 'X');
		if (hex)
			p++;
		for (; p < end && (hex ? isxdigit((unsigned char)*p) :
		    isdigit((unsigned char)*p)); p++, digits++)
			if (c <= 0x10ffff)
				c = c * (hex ? 16 : 10) + (unsigned long)(isdigit(
				    (unsigned char)*p) ? *p - '0' :
				    tolower((unsigned char)*p) - 'a' + 10);
		if (digits == 0)
			return 0;
		if (p < end && *p == ';')
			p++;
		*n = (size_t)(p - s);
		return c == 0 || c > 0x10ffff ? 0xfffd : c;
	}
	for (k = 0; p + k < end && isalnum((unsigned char)p[k]); k++)
		;
	if (k == 0 || p + k >= end || p[k] != ';')
		return 0;
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strlen(named[i].name) == k && memcmp(named[i].name, p, k) == 0) {
			*n = k + 2;
			return named[i].c;
		}
	return 0;
}

/* Decode the references in s..end into a new string (an attribute). */
static char *
decode(const char *s, const char *end)
{
	struct conv b = { 0 };
	unsigned long c;
	size_t n;

	b.link = -1;
	while (s < end) {
		if (*s == '&' && (c = charref(s, end, &n)) != 0) {
			utf8(&b, c);
			s += n;
		} else
			th_buf_add(&b.out, s++, 1);
	}
	return th_buf_take(&b.out);
}

static int
isws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Skip scheme and "www.", and a trailing slash, for comparing addresses. */
static void
bare(const char **s, size_t *n)
{
	if (*n >= 8 && strncasecmp(*s, "https://", 8) == 0)
		*s += 8, *n -= 8;
	else if (*n >= 7 && strncasecmp(*s, "http://", 7) == 0)
		*s += 7, *n -= 7;
	if (*n >= 4 && strncasecmp(*s, "www.", 4) == 0)
		*s += 4, *n -= 4;
	if (*n > 0 && (*s)[*n - 1] == '/')
		(*n)--;
}

/* </a>: a link whose text is not its address gets the address too. */
static void
endlink(struct conv *b)
{
	const char *t, *h;
	size_t tn, hn, start;

	if (b->link < 0 || b->href == NULL || b->out.oom)
		goto out;
	start = (size_t)b->link;
	while (start < b->out.len && isws(b->out.s[start]))
		start++;
	t = b->out.s + start;
	tn = b->out.len - start;
	h = b->href;
	hn = strlen(h);
	if (hn == 0 || (strncasecmp(h, "http://", 7) != 0 &&
	    strncasecmp(h, "https://", 8) != 0))
		goto out;	/* mailto:, relative: the text says enough */
	if (tn == 0) {
		text(b, h, hn);	/* an empty link: its address */
		goto out;
	}
	if (t[0] == '@' || t[0] == '#')
		goto out;	/* a mention or a tag */
	bare(&t, &tn);
	bare(&h, &hn);
	if (tn == hn && strncmp(t, h, tn) == 0)
		goto out;
	/* the address shortened for display ("example.com/long/pa…"):
	 * the whole address instead */
	if (tn > 3 && memcmp(t + tn - 3, "\xe2\x80\xa6", 3) == 0 &&
	    tn - 3 <= hn && strncmp(t, h, tn - 3) == 0) {
		th_buf_truncate(&b->out, start);
		th_buf_add(&b->out, b->href, strlen(b->href));
		goto out;
	}
	/* right after the text: a break or space held back (a link left
	 * open across paragraphs) stays held back, after the address */
	th_buf_add(&b->out, " <", 2);
	th_buf_add(&b->out, b->href, strlen(b->href));
	th_buf_add(&b->out, ">", 1);
out:
	free(b->href);
	b->href = NULL;
	b->link = -1;
}

/* An address as browsers take it: tabs and line breaks removed, no
 * spaces at the ends. Consumes s. */
static char *
url(char *s)
{
	char *r, *w;

	if (s == NULL)
		return NULL;
	for (r = w = s; *r != '\0'; r++)
		if (*r != '\t' && *r != '\n' && *r != '\r')
			*w++ = *r;
	*w = '\0';
	while (w > s && (w[-1] == ' ' || w[-1] == '\f'))
		*--w = '\0';
	for (r = s; *r == ' ' || *r == '\f'; r++)
		;
	memmove(s, r, strlen(r) + 1);
	return s;
}

/* The value of attribute name in a start tag's attributes a..end. */
static char *
attr(const char *a, const char *end, const char *name)
{
	const char *n, *ne, *v, *ve;
	size_t nl = strlen(name);
	char q;

	while (a < end) {
		while (a < end && (isws(*a) || *a == '/'))
			a++;
		n = a;
		while (a < end && !isws(*a) && *a != '=' && *a != '/')
			a++;
		if ((ne = a) == n)
			break;
		v = ve = a;
		while (a < end && isws(*a))
			a++;
		if (a < end && *a == '=') {
			for (a++; a < end && isws(*a); a++)
				;
			if (a < end && (*a == '"' || *a == '\'')) {
				q = *a++;
				for (v = a; a < end && *a != q; a++)
					;
				ve = a;
				if (a < end)
					a++;
			} else {
				for (v = a; a < end && !isws(*a); a++)
					;
				ve = a;
			}
		}
		if ((size_t)(ne - n) == nl && strncasecmp(n, name, nl) == 0)
			return url(decode(v, ve));
	}
	return NULL;
}

static int
tagis(const char *name, size_t n, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strlen(*set) == n && strncasecmp(*set, name, n) == 0)
			return 1;
	return 0;
}

static const char *const blocks[] = {
	"p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
	"ul", "ol", "table", "tr", "hr", "section", "article", "header",
	"footer", "figure", "figcaption", "dl", "dt", "dd", NULL
};

/* A tag from s ('<') to end; returns where the text goes on. */
static const char *
tag(struct conv *b, const char *s, const char *end)
{
	const char *p = s + 1, *name, *gt;
	size_t n;
	int close = 0;
	char q = 0;

	if (p < end && *p == '!') {
		if (end - p >= 3 && p[1] == '-' && p[2] == '-') {
			for (p += 3; p + 2 < end; p++)
				if (p[0] == '-' && p[1] == '-' && p[2] == '>')
					return p + 3;
			return end;
		}
		gt = memchr(p, '>', (size_t)(end - p));
		return gt ? gt + 1 : end;
	}
	if (p < end && *p == '?') {
		gt = memchr(p, '>', (size_t)(end - p));
		return gt ? gt + 1 : end;
	}
	if (p < end && *p == '/') {
		close = 1;
		p++;
	}
	if (p >= end || !isalpha((unsigned char)*p)) {
		text(b, "<", 1);	/* "a < b": not a tag */
		return s + 1;
	}
	name = p;
	while (p < end && isalnum((unsigned char)*p))
		p++;
	n = (size_t)(p - name);
	/* the end of the tag, past quoted attribute values */
	for (gt = p; gt < end; gt++) {
		if (q) {
			if (*gt == q)
				q = 0;
		} else if (*gt == '"' || *gt == '\'')
			q = *gt;
		else if (*gt == '>')
			break;
	}
	if (gt >= end)
		return end;	/* unterminated: dropped */

	if (!close && (tagis(name, n, (const char *const[]){ "script", "style", NULL }))) {
		/* dropped whole, up to its end tag */
		const char *e;
		for (e = gt + 1; e + n + 2 <= end; e++)
			if (e[0] == '<' && e[1] == '/' && strncasecmp(e + 2, name, n) == 0) {
				const char *g = memchr(e, '>', (size_t)(end - e));
				return g ? g + 1 : end;
			}
		return end;
	}
	if (n == 2 && strncasecmp(name, "br", 2) == 0) {
		if (b->out.len > 0)
			b->breaks = b->breaks < 2 ? b->breaks + 1 : 2;
		b->space = 0;
	} else if (n == 2 && strncasecmp(name, "li", 2) == 0) {
		brk(b, 1);
		b->bullet = !close;	/* an empty item has no bullet */
	} else if (tagis(name, n, blocks)) {
		brk(b, 2);
		if (n == 3 && strncasecmp(name, "pre", 3) == 0)
			b->pre += close ? (b->pre > 0 ? -1 : 0) : 1;
	} else if (n == 1 && tolower((unsigned char)*name) == 'a') {
		if (b->link >= 0)
			endlink(b);
		if (!close) {
			b->href = attr(p, gt, "href");
			/* a space or break held back goes out with the link's
			 * first text, and endlink() skips it */
			b->link = (long)b->out.len;
		}
	} else if (n == 3 && strncasecmp(name, "img", 3) == 0 && !close) {
		char *alt = attr(p, gt, "alt");	/* custom emoji: :name: */
		if (alt != NULL && *alt != '\0')
			text(b, alt, strlen(alt));
		free(alt);
	}
	return gt + 1;
}

/*
 * Control characters other than newline and tab, written as they are or
 * as references (&#27;), would reach a terminal as escape sequences
 * (ESC ] 0; retitles it, ESC [2J clears it): each becomes U+FFFD. C1
 * controls (U+0080..U+009F) are C2 80..C2 9F in UTF-8.
 */
static void
nocontrols(struct th_buf *b)
{
	struct th_buf c = TH_BUF_INIT;
	unsigned char u;
	size_t i, from = 0;

	if (b->oom)
		return;
	for (i = 0; i < b->len; i++) {
		u = (unsigned char)b->s[i];
		if ((u < 0x20 && u != '\n' && u != '\t') || u == 0x7f ||
		    (u == 0xc2 && i + 1 < b->len &&
		    (unsigned char)b->s[i + 1] >= 0x80 &&
		    (unsigned char)b->s[i + 1] <= 0x9f)) {
			th_buf_add(&c, b->s + from, i - from);
			th_buf_add(&c, "\xef\xbf\xbd", 3);
			i += u == 0xc2;
			from = i + 1;
		}
	}
	if (from == 0)
		return;		/* none: b as it is */
	th_buf_add(&c, b->s + from, b->len - from);
	th_buf_free(b);
	*b = c;
}

char *
th_html_plain(const char *s, size_t len)
{
	struct th_buf b = TH_BUF_INIT;

	th_buf_add(&b, s, len);
	nocontrols(&b);
	return th_buf_take(&b);
}

char *
th_html_text(const char *s, size_t len)
{
	struct conv b = { 0 };
	const char *end = s + len;
	unsigned long c;
	size_t n;

	b.link = -1;
	th_buf_add(&b.out, "", 0);	/* endlink() reads out.s from the start */
	while (s < end && !b.out.oom) {
		if (*s == '<')
			s = tag(&b, s, end);
		else if (*s == '&' && (c = charref(s, end, &n)) != 0) {
			utf8(&b, c);
			s += n;
		} else if (isws(*s) && !b.pre) {
			if (b.breaks == 0 && b.out.len > 0)
				b.space = 1;
			s++;
		} else if (*s == '\0') {
			utf8(&b, 0xfffd);
			s++;
		} else if (b.pre && (*s == '\n' || *s == '\r')) {
			if (*s == '\r' && s + 1 < end && s[1] == '\n')
				s++;
			text(&b, "\n", 1);
			s++;
		} else {
			const char *t = s++;	/* at least this byte: a '&' that is no reference */
			while (s < end && *s != '<' && *s != '&' && *s != '\0' &&
			    (b.pre ? (*s != '\n' && *s != '\r') : !isws(*s)))
				s++;
			text(&b, t, (size_t)(s - t));
		}
	}
	if (b.link >= 0)
		endlink(&b);
	free(b.href);
	nocontrols(&b.out);
	return th_buf_take(&b.out);
}
