/*
 * text: Threads' own rules for text. Its docs say a post has at most 500
 * characters with emoji counted as their UTF-8 bytes, and at most 5
 * distinct links. The server's exact segmentation is not documented; th
 * uses extended grapheme clusters (approximated: a base code point with
 * its combining marks, variation selectors, ZWJ sequences, skin tones,
 * tag sequences and regional-indicator pairs) and calls a cluster an
 * emoji when one of its code points is pictographic. That over-counts
 * rather than under-counts, so a post th accepts is not refused.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

/* Decode one code point; returns its length, 0 if invalid. */
static size_t
decode(const unsigned char *p, size_t left, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (left == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int
th_text_utf8(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off = 0, n;
	uint32_t cp;

	while (off < len) {
		if ((n = decode(p + off, len - off, &cp)) == 0) {
			if (bad != NULL)
				*bad = off;
			return 0;
		}
		off += n;
	}
	return 1;
}

long
th_text_control(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off = 0, n;
	uint32_t cp;

	while (off < len) {
		if ((n = decode(p + off, len - off, &cp)) == 0)
			return (long)off;
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0))
			return (long)off;
		off += n;
	}
	return -1;
}

static int
extend(uint32_t c)
{
	return (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xfe20 && c <= 0xfe2f) ||
	    (c >= 0x1f3fb && c <= 0x1f3ff) ||	/* skin tones */
	    (c >= 0xe0020 && c <= 0xe007f) ||	/* tag sequences */
	    (c >= 0xe0100 && c <= 0xe01ef) ||
	    c == 0x200c;
}

static int
pictographic(uint32_t c)
{
	return (c >= 0x1f000 && c <= 0x1faff) || (c >= 0x2600 && c <= 0x27bf) ||
	    (c >= 0x2300 && c <= 0x23ff) || (c >= 0x2b00 && c <= 0x2bff) ||
	    (c >= 0x1fc00 && c <= 0x1fffd) || c == 0x00a9 || c == 0x00ae ||
	    c == 0x203c || c == 0x2049 || c == 0x2122 || c == 0x2139 ||
	    (c >= 0x2194 && c <= 0x21aa) || c == 0x24c2 ||
	    (c >= 0x25aa && c <= 0x25fe) || c == 0x3030 || c == 0x303d ||
	    c == 0x3297 || c == 0x3299 || c == 0x20e3 || c == 0xfe0f;
}

static int
regional(uint32_t c)
{
	return c >= 0x1f1e6 && c <= 0x1f1ff;
}

size_t
th_text_length(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off = 0, n, start, total = 0;
	uint32_t cp, prev;
	int emoji, ri;

	while (off < len) {
		start = off;
		if ((n = decode(p + off, len - off, &cp)) == 0)
			return (size_t)-1;
		off += n;
		emoji = pictographic(cp);
		ri = regional(cp);
		prev = cp;
		/* absorb the rest of the cluster */
		while (off < len) {
			if ((n = decode(p + off, len - off, &cp)) == 0)
				break;
			if (extend(cp) || cp == 0x20e3) {
				emoji |= pictographic(cp);
			} else if (cp == 0x200d) {
				/* ZWJ glues the next code point on */
				size_t m;
				uint32_t nx;
				off += n;
				if ((m = decode(p + off, len - off, &nx)) == 0)
					break;
				emoji |= pictographic(nx);
				n = m;
				cp = nx;
			} else if (ri && regional(cp) && regional(prev)) {
				ri = 0;	/* a flag is a pair */
				emoji = 1;
			} else if (prev == '\r' && cp == '\n') {
				;
			} else
				break;
			prev = cp;
			off += n;
		}
		if (ri && !emoji)
			emoji = 1;	/* a lone regional indicator is still drawn as one */
		total += emoji ? off - start : 1;
	}
	return total;
}

/* Does a link start at p? Reads nothing at or past end: found by
 * fuzzing, strncasecmp read past a buffer that was not a C string. */
static int
linkstart(const char *p, const char *s, const char *end)
{
	size_t left = (size_t)(end - p);

	if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '/' ||
	    p[-1] == '.' || p[-1] == '@'))
		return 0;
	return (left >= 7 && strncasecmp(p, "http://", 7) == 0) ||
	    (left >= 8 && strncasecmp(p, "https://", 8) == 0) ||
	    (left >= 4 && strncasecmp(p, "www.", 4) == 0);
}

/* Normalised link: lower-case scheme and host, no scheme for www., no
 * trailing punctuation. malloc'd. */
static char *
normlink(const char *p, size_t n)
{
	char *r, *h;
	size_t i;

	while (n > 0 && strchr(".,;:!?)]}'\"", p[n - 1]) != NULL)
		n--;
	if ((r = malloc(n + 9)) == NULL)
		return NULL;
	if (strncasecmp(p, "www.", 4) == 0) {
		memcpy(r, "http://", 7);
		memcpy(r + 7, p, n);
		r[n + 7] = '\0';
	} else {
		memcpy(r, p, n);
		r[n] = '\0';
	}
	h = strstr(r, "://");
	for (i = 0; r + i < (h ? h + 3 : r); i++)
		r[i] = (char)tolower((unsigned char)r[i]);
	if (h != NULL)
		for (h += 3; *h != '\0' && *h != '/' && *h != '?' && *h != '#'; h++)
			*h = (char)tolower((unsigned char)*h);
	/* http and https of the same address are one link */
	if (strncmp(r, "https://", 8) == 0)
		memmove(r + 4, r + 5, strlen(r + 5) + 1);
	return r;
}

/* keeps l in seen[] unless it is there already; the new count */
static int
addlink(char **seen, int n, char *l)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(seen[i], l) == 0) {
			free(l);
			return n;
		}
	seen[n] = l;
	return n + 1;
}

int
th_text_links(const char *s, size_t len, const char *extra)
{
	char *seen[64];
	const char *p = s, *end = s + len, *q;
	int n = 0, i;
	char *l;

	while (p < end && n < 64) {
		if (!linkstart(p, s, end)) {
			p++;
			continue;
		}
		for (q = p; q < end && !isspace((unsigned char)*q) && *q != '<' &&
		    *q != '>'; q++)
			;
		if ((l = normlink(p, (size_t)(q - p))) != NULL)
			n = addlink(seen, n, l);
		p = q;
	}
	if (extra != NULL && extra[0] != '\0' && n < 64 &&
	    (l = normlink(extra, strlen(extra))) != NULL)
		n = addlink(seen, n, l);
	for (i = 0; i < n; i++)
		free(seen[i]);
	return n;
}

size_t
th_text_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

size_t
th_text_decode(const char *s, size_t left, uint32_t *cp)
{
	return decode((const unsigned char *)s, left, cp);
}

/* Does a terminal act on cp rather than show it? */
static int
active(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029;
}

char *
th_text_visible(const char *s, size_t len, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;
	char *r, *o;

	/* the most a byte grows: a raw ESC in JSON text to "\u001b" */
	if (len > (SIZE_MAX - 1) / 6 || (r = malloc(len * 6 + 1)) == NULL)
		return NULL;
	o = r;
	while (i < len) {
		if ((n = decode(p + i, len - i, &cp)) == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			i++;
			continue;
		}
		if (!active(cp) || (cp == '\n' && (flags & TH_TEXT_NL)) ||
		    (cp == '\t' && (flags & TH_TEXT_TAB))) {
			memcpy(o, s + i, n);
			o += n;
		} else if (flags & TH_TEXT_JSON)
			o += sprintf(o, "\\u%04x", (unsigned)cp);
		else if (cp == '\t')
			*o++ = ' ';
		else if (cp < 0x20 || cp == 0x7f) {
			*o++ = '^';
			*o++ = cp == 0x7f ? '?' : (char)(cp + '@');
		} else
			o += sprintf(o, "<U+%04X>", (unsigned)cp);
		i += n;
	}
	*o = '\0';
	return r;
}

static int
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Does s[a..b), trimmed, fit: length + reserve <= limit, <= 5 links? */
static int
fits(const char *s, size_t a, size_t b, size_t limit, size_t reserve)
{
	size_t n;

	while (b > a && space(s[b - 1]))
		b--;
	n = th_text_length(s + a, b - a);
	return n != (size_t)-1 && n + reserve <= limit &&
	    th_text_links(s + a, b - a, NULL) <= 5;
}

/* The kind of break a whitespace run at s[i] is: 3 a paragraph (two
 * newlines), 2 the end of a sentence, 1 between words, 0 none (the
 * next code point would be torn from its cluster). */
static int
breakkind(const char *s, size_t len, size_t i, size_t start)
{
	static const char *const ends[] = { "\xe2\x80\xa6", "\xe3\x80\x82",
	    "\xef\xbc\x81", "\xef\xbc\x9f", NULL };	/* … 。 ！ ？ */
	const unsigned char *u = (const unsigned char *)s;
	const char *const *e;
	size_t j, nl = 0, k;
	uint32_t cp;

	for (j = i; j < len && space(s[j]); j++)
		nl += s[j] == '\n';
	if (j < len && decode(u + j, len - j, &cp) != 0 && (extend(cp) ||
	    cp == 0x200d))
		return 0;
	if (nl >= 2)
		return 3;
	k = i;
	while (k > start && strchr("\"')]", s[k - 1]) != NULL)
		k--;
	if (k > start && strchr(".!?", s[k - 1]) != NULL)
		return 2;
	for (e = ends; *e != NULL; e++)
		if (k - start >= 3 && memcmp(s + k - 3, *e, 3) == 0)
			return 2;
	return 1;
}

int
th_text_split(const char *s, size_t len, size_t limit, size_t reserve,
    struct th_span **spans, size_t *bad)
{
	struct th_span *v = NULL, *nv;
	size_t pos = 0, end = len, i, best[4];
	int n = 0, k, lvl;

	*spans = NULL;
	while (end > 0 && space(s[end - 1]))
		end--;
	while (pos < end && space(s[pos]))
		pos++;
	while (pos < end) {
		if (fits(s, pos, end, limit, reserve)) {
			best[0] = end;
			lvl = 0;
		} else {
			memset(best, 0, sizeof(best));
			for (i = pos + 1; i < end; i++) {
				if (!space(s[i]))
					continue;
				if (!fits(s, pos, i, limit, reserve))
					break;
				if ((k = breakkind(s, len, i, pos)) > 0)
					best[k] = i;
				while (i + 1 < end && space(s[i + 1]))
					i++;
			}
			for (lvl = 3; lvl > 0 && best[lvl] == 0; lvl--)
				;
			if (lvl == 0) {
				free(v);
				*bad = pos;
				return -1;
			}
		}
		if ((nv = reallocarray(v, (size_t)n + 1, sizeof(*v))) == NULL) {
			free(v);
			*bad = pos;
			return -1;
		}
		v = nv;
		i = best[lvl];
		while (i > pos && space(s[i - 1]))
			i--;
		v[n].off = pos;
		v[n].len = i - pos;
		n++;
		pos = best[lvl];
		while (pos < end && space(s[pos]))
			pos++;
	}
	*spans = v;
	return n;
}
