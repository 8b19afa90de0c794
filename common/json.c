/*
 * json: libjq's jv API with two guards. jq 1.6 stores every number as a
 * double, so big integers are turned into strings before parsing; and
 * NDJSON is read a line at a time with jv_parse_sized, so memory follows
 * the longest line, not the input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "msg.h"

static jv th_json_slow(const char *, size_t);

/* Does the integer literal p[0..n) exceed 2^53 = 9007199254740992? */
static int
bigint(const char *p, size_t n)
{
	static const char lim[] = "9007199254740992";

	if (*p == '-') {
		p++;
		n--;
	}
	if (n != sizeof(lim) - 1)
		return n > sizeof(lim) - 1;
	return memcmp(p, lim, n) > 0;
}

/* Scan the number at p; set *isint. Returns its length. */
static size_t
numlen(const char *p, const char *end, int *isint)
{
	const char *q = p;

	*isint = 1;
	if (q < end && *q == '-')
		q++;
	while (q < end && ((*q >= '0' && *q <= '9') || strchr(".eE+-", *q))) {
		if (strchr(".eE", *q) != NULL)
			*isint = 0;
		q++;
	}
	return q - p;
}

/*
 * The fast parser. libjq 1.6's jv_parse feeds every byte through a
 * state machine and a token buffer: 40% of th-timeline's instructions a
 * post over a long read. This one takes half as many: it builds the
 * same jv values the same way (jv_string_sized, which
 * mends bad UTF-8 as jv_parse does; jv_object_set in the order of the
 * text) and turns big integers into strings on the way, but it takes
 * strict JSON only: anything else (a parse error, a lone surrogate, a
 * control byte in a string, a number JSON does not spell, deep nesting)
 * makes it give up, and the text goes to th_json_slow(), so that errors
 * and libjq's leniencies stay exactly libjq's.
 */
#define FASTDEPTH	200	/* jv_parse refuses past 256: left to it */

struct fast {
	const char	*p, *end;
	char		*tmp;		/* a string with escapes, decoded */
	size_t		 tmpcap;
	int		 depth;
	int		 fail;
};

static void
ws(struct fast *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\n' ||
	    *f->p == '\r' || *f->p == '\t'))
		f->p++;
}

static int
hex4(const char *p)
{
	int i, c, v = 0;

	for (i = 0; i < 4; i++) {
		c = (unsigned char)p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* The string at f->p (after its quote); jv_invalid() on giving up. */
static jv
faststr(struct fast *f)
{
	const char *s = f->p, *p = s;
	size_t n = 0;
	char *o;
	int c;

	while (p < f->end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
		p++;
	if (p < f->end && *p == '"') {	/* no escapes: most strings */
		f->p = p + 1;
		return jv_string_sized(s, (int)(p - s));
	}
	/* escapes: decoded into tmp; \u never grows (6 bytes, 3 out) */
	for (p = s; p < f->end && *p != '"'; p++)
		if (*p == '\\' && ++p >= f->end)
			break;
	if (p >= f->end)
		goto fail;
	n = (size_t)(p - s);
	if (n + 1 > f->tmpcap) {
		char *t = realloc(f->tmp, n + 1);
		if (t == NULL)
			goto fail;
		f->tmp = t;
		f->tmpcap = n + 1;
	}
	o = f->tmp;
	for (p = s; *p != '"'; ) {
		if ((unsigned char)*p < 0x20)
			goto fail;
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		switch (p[1]) {
		case '"': case '\\': case '/':
			*o++ = p[1];
			break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			/* surrogates (paired or not) are jv_parse's */
			if (f->end - p < 6 || (c = hex4(p + 2)) < 0 ||
			    (c >= 0xD800 && c <= 0xDFFF))
				goto fail;
			if (c < 0x80)
				*o++ = (char)c;
			else if (c < 0x800) {
				*o++ = (char)(0xC0 | (c >> 6));
				*o++ = (char)(0x80 | (c & 0x3F));
			} else {
				*o++ = (char)(0xE0 | (c >> 12));
				*o++ = (char)(0x80 | ((c >> 6) & 0x3F));
				*o++ = (char)(0x80 | (c & 0x3F));
			}
			p += 6;
			continue;
		default:
			goto fail;
		}
		p += 2;
	}
	f->p = p + 1;
	return jv_string_sized(f->tmp, (int)(o - f->tmp));
fail:
	f->fail = 1;
	return jv_invalid();
}

/* The number at f->p, as jv_parse (and th_json_parse's big integers)
 * would make it; strict JSON spelling only. */
static jv
fastnum(struct fast *f)
{
	const char *s = f->p, *p = s, *intend;
	long long iv = 0;
	int isint = 1, neg = 0;
	char buf[64], *e;
	double d;

	if (p < f->end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p >= f->end || *p < '0' || *p > '9')
		goto fail;
	if (*p == '0' && p + 1 < f->end && p[1] >= '0' && p[1] <= '9')
		goto fail;	/* 01: jv_parse takes it; left to it */
	while (p < f->end && *p >= '0' && *p <= '9')
		p++;
	intend = p;
	if (p < f->end && *p == '.') {
		isint = 0;
		if (++p >= f->end || *p < '0' || *p > '9')
			goto fail;
		while (p < f->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < f->end && (*p == 'e' || *p == 'E')) {
		isint = 0;
		if (++p < f->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= f->end || *p < '0' || *p > '9')
			goto fail;
		while (p < f->end && *p >= '0' && *p <= '9')
			p++;
	}
	/* what the number scan of th_json_parse would take as one token */
	if (p < f->end && ((*p >= '0' && *p <= '9') || strchr(".eE+-", *p)))
		goto fail;
	f->p = p;
	if (isint) {
		if (p - s > 1 && bigint(s, (size_t)(p - s)))
			return jv_string_sized(s, (int)(p - s));
		/* at most 2^53: exact in a long long, and in a double */
		for (p = s + neg; p < intend; p++)
			iv = iv * 10 + (*p - '0');
		if (iv == 0 && neg)
			return jv_number(-0.0);
		return jv_number((double)(neg ? -iv : iv));
	}
	if ((size_t)(p - s) >= sizeof(buf))
		goto fail;
	memcpy(buf, s, (size_t)(p - s));
	buf[p - s] = '\0';
	d = strtod(buf, &e);
	/* a locale's decimal comma would stop it short */
	if (*e != '\0')
		goto fail;
	return jv_number(d);
fail:
	f->fail = 1;
	return jv_invalid();
}

/* After a member or an element: 1 past a comma (another follows), 0
 * past close (the container ends), -1 at anything else. */
static int
sep(struct fast *f, char close)
{
	ws(f);
	if (f->p < f->end && *f->p == ',') {
		f->p++;
		return 1;
	}
	if (f->p < f->end && *f->p == close) {
		f->p++;
		f->depth--;
		return 0;
	}
	return -1;
}

static jv
fastval(struct fast *f)
{
	jv v, k, e;
	int r;

	ws(f);
	if (f->p >= f->end)
		goto fail;
	switch (*f->p) {
	case '"':
		f->p++;
		return faststr(f);
	case '{':
		if (++f->depth > FASTDEPTH)
			goto fail;
		f->p++;
		v = jv_object();
		ws(f);
		if (f->p < f->end && *f->p == '}') {
			f->p++;
			f->depth--;
			return v;
		}
		for (;;) {
			ws(f);
			if (f->p >= f->end || *f->p != '"')
				break;
			f->p++;
			k = faststr(f);
			if (f->fail)
				break;
			ws(f);
			if (f->p >= f->end || *f->p != ':') {
				jv_free(k);
				break;
			}
			f->p++;
			e = fastval(f);
			if (f->fail) {
				jv_free(k);
				break;
			}
			v = jv_object_set(v, k, e);
			if ((r = sep(f, '}')) > 0)
				continue;
			if (r == 0)
				return v;
			break;
		}
		jv_free(v);
		goto fail;
	case '[':
		if (++f->depth > FASTDEPTH)
			goto fail;
		f->p++;
		v = jv_array();
		ws(f);
		if (f->p < f->end && *f->p == ']') {
			f->p++;
			f->depth--;
			return v;
		}
		for (;;) {
			e = fastval(f);
			if (f->fail)
				break;
			v = jv_array_append(v, e);
			if ((r = sep(f, ']')) > 0)
				continue;
			if (r == 0)
				return v;
			break;
		}
		jv_free(v);
		goto fail;
	case 't':
		if (f->end - f->p >= 4 && memcmp(f->p, "true", 4) == 0) {
			f->p += 4;
			return jv_true();
		}
		goto fail;
	case 'f':
		if (f->end - f->p >= 5 && memcmp(f->p, "false", 5) == 0) {
			f->p += 5;
			return jv_false();
		}
		goto fail;
	case 'n':
		if (f->end - f->p >= 4 && memcmp(f->p, "null", 4) == 0) {
			f->p += 4;
			return jv_null();
		}
		goto fail;
	default:
		return fastnum(f);
	}
fail:
	f->fail = 1;
	return jv_invalid();
}

jv
th_json_parse(const char *buf, size_t len)
{
	struct fast f;
	jv v;

	memset(&f, 0, sizeof(f));
	f.p = buf;
	f.end = buf + len;
	if (len <= 0x7fffffff) {
		v = fastval(&f);
		if (!f.fail) {
			ws(&f);
			if (f.p == f.end) {
				free(f.tmp);
				return v;
			}
			jv_free(v);
		}
		free(f.tmp);
	}
	return th_json_slow(buf, len);
}

/* th_json_parse() through jv_parse: big integers quoted first. */
static jv
th_json_slow(const char *buf, size_t len)
{
	const char *p, *end = buf + len;
	char *copy = NULL, *o = NULL;
	int instr = 0, isint;
	size_t n;
	jv v;

	if (len > 0x7fffffff)
		return jv_invalid_with_msg(jv_string("JSON text too large"));
	/* Two passes: the common case (no big integers) copies nothing. */
	for (int pass = 0; pass < 2; pass++) {
		int found = 0;

		instr = 0;
		for (p = buf; p < end; ) {
			if (instr && o == NULL) {
				/* the first pass only looks for the string's end:
				 * most of a page is text (the profile's hot loop) */
				while (p < end && *p != '"' && *p != '\\')
					p++;
				if (p >= end)
					break;
			}
			if (instr) {
				if (*p == '\\' && p + 1 < end) {
					if (o) { *o++ = p[0]; *o++ = p[1]; }
					p += 2;
					continue;
				}
				if (*p == '"')
					instr = 0;
				if (o)
					*o++ = *p;
				p++;
				continue;
			}
			if (*p == '"') {
				instr = 1;
				if (o)
					*o++ = *p;
				p++;
				continue;
			}
			if (*p == '-' || (*p >= '0' && *p <= '9')) {
				n = numlen(p, end, &isint);
				if (isint && n > 1 && bigint(p, n)) {
					found = 1;
					if (o) {
						*o++ = '"';
						memcpy(o, p, n);
						o += n;
						*o++ = '"';
					}
				} else if (o) {
					memcpy(o, p, n);
					o += n;
				}
				p += n;
				continue;
			}
			if (o)
				*o++ = *p;
			p++;
		}
		if (pass == 0) {
			if (!found)
				return jv_parse_sized(buf, (int)len);
			/* every quoted number grows by 2; at most len/2 of them */
			if ((copy = malloc(len * 2 + 1)) == NULL)
				return jv_invalid_with_msg(jv_string("out of memory"));
			o = copy;
		}
	}
	v = jv_parse_sized(copy, (int)(o - copy));
	free(copy);
	return v;
}

char *
th_json_dump(jv v)
{
	jv s = jv_dump_string(v, 0);
	char *r = strdup(jv_string_value(s));

	jv_free(s);
	return r;
}

char *
th_jv_strdup(jv obj, const char *key)
{
	jv v = th_jv_get(obj, key);
	char *r = NULL;

	if (jv_get_kind(v) == JV_KIND_STRING)
		r = th_strdup(jv_string_value(v));
	jv_free(v);
	return r;
}

/*
 * key as a jv string. The first few keys asked for that are short (id,
 * timestamp, ...: every record's) are made once and kept, with the hash
 * libjq caches in a string: a lookup of one then allocates, copies and
 * hashes nothing. Others are made anew.
 */
static jv
keystr(const char *key)
{
	static struct { char s[16]; jv v; } kept[8];
	static int nkept;
	size_t n;
	int i;

	for (i = 0; i < nkept; i++)
		if (strcmp(kept[i].s, key) == 0)
			return jv_copy(kept[i].v);
	if (nkept == (int)(sizeof(kept) / sizeof(kept[0])) ||
	    (n = strlen(key)) >= sizeof(kept[0].s))
		return jv_string(key);
	memcpy(kept[nkept].s, key, n + 1);
	kept[nkept].v = jv_string(key);
	return jv_copy(kept[nkept++].v);
}

jv
th_jv_get(jv obj, const char *key)
{
	jv v;

	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return jv_null();
	v = jv_object_get(jv_copy(obj), keystr(key));
	if (!jv_is_valid(v)) {
		jv_free(v);
		return jv_null();
	}
	return v;
}

char *
th_jv_idstr(jv obj, const char *key)
{
	jv v;
	double d;
	char *r = NULL;

	if ((r = th_jv_strdup(obj, key)) != NULL)
		return r;
	v = th_jv_get(obj, key);
	if (jv_get_kind(v) == JV_KIND_NUMBER) {
		d = jv_number_value(v);
		/* only exact integers: a rounded id is worse than none */
		if (d >= 0 && d <= 9007199254740992.0 && d == (double)(long long)d &&
		    asprintf(&r, "%lld", (long long)d) == -1)
			th_die(TH_EIO, "out of memory");
	}
	jv_free(v);
	return r;
}

void
th_ndjson_open(struct th_ndjson *r, FILE *f, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->name = name;
}

int
th_ndjson_next(struct th_ndjson *r, jv *out)
{
	ssize_t n;
	jv v, m;

	*out = jv_invalid();
	r->why[0] = '\0';
	while ((n = getline(&r->line, &r->cap, r->f)) != -1) {
		r->lineno++;
		while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		if (n > TH_NDJSON_MAX)
			snprintf(r->why, sizeof(r->why), "a line of %zd bytes: records "
			    "are at most %d", n, TH_NDJSON_MAX);
		else if (memchr(r->line, '\0', n) != NULL)
			snprintf(r->why, sizeof(r->why), "NUL byte in input");
		else if (!jv_is_valid(v = th_json_parse(r->line, (size_t)n))) {
			m = jv_invalid_get_msg(v);
			snprintf(r->why, sizeof(r->why), "malformed JSON: %s",
			    jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) : "?");
			jv_free(m);
		} else if (jv_get_kind(v) != JV_KIND_OBJECT) {
			jv_free(v);
			snprintf(r->why, sizeof(r->why), "not a JSON object");
		} else if (th_jv_hasnul(v)) {
			jv_free(v);
			snprintf(r->why, sizeof(r->why), "a string holds a NUL (\\u0000)");
		} else {
			*out = v;
			return 1;
		}
		return th_msg(TH_EDATA, "%s:%ld: %s", r->name, r->lineno, r->why);
	}
	return 0;
}

jv
th_jv_setstr(jv obj, const char *key, const char *v)
{
	if (v == NULL)
		return obj;
	return jv_object_set(obj, jv_string(key), jv_string(v));
}

long
th_duration(const char *s, long unit)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || n < 0 || n > 36500L * 86400)
		return -1;
	switch (*end) {
	case '\0':
		return unit > 0 && n <= 36500L * 86400 / unit ? n * unit : -1;
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	case 'w':
		unit = 7 * 86400;
		break;
	default:
		return -1;
	}
	return end[1] == '\0' && n <= 36500L * 86400 / unit ? n * unit : -1;
}

int
th_jv_hasnul(jv v)
{
	int r = 0;

	switch (jv_get_kind(v)) {
	case JV_KIND_STRING:
		return strlen(jv_string_value(v)) !=
		    (size_t)jv_string_length_bytes(jv_copy(v));
	case JV_KIND_ARRAY:
		jv_array_foreach(v, i, e) {
			if (!r)
				r = th_jv_hasnul(e);
			jv_free(e);
		}
		return r;
	case JV_KIND_OBJECT:
		jv_object_foreach(v, k, e) {
			if (!r)
				r = th_jv_hasnul(k) || th_jv_hasnul(e);
			jv_free(k);
			jv_free(e);
		}
		return r;
	default:
		return 0;
	}
}

void
th_ndjson_close(struct th_ndjson *r)
{
	free(r->line);
	r->line = NULL;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
days(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int
digits2(const char *p)
{
	return (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9') ?
	    (p[0] - '0') * 10 + (p[1] - '0') : -1;
}

size_t
th_time_format(long long t, char buf[32])
{
	struct tm tm;
	time_t tt = (time_t)t;
	size_t n = 0;

	if (gmtime_r(&tt, &tm) != NULL)
		n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S+0000", &tm);
	if (n == 0)
		buf[0] = '\0';
	return n;
}

void
th_time_human(long long t, char buf[32])
{
	struct tm tm;
	time_t tt = (time_t)t;

	/* gmtime() is NULL then, and strftime() would read through it */
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, 32, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		strlcpy(buf, "a date no calendar has", 32);
}

long long
th_time_parse(const char *s)
{
	struct tm tm;
	const char *p;
	char *end;
	long long t;
	int sign, hh, mm, y1, y2, mo, d, h, mi, se, oh, om;

	if (s == NULL || *s == '\0')
		return -1;
	/* the fast path, every record's: 2024-07-01T12:00:00+0000 */
	if (strlen(s) == 24 && s[4] == '-' && s[7] == '-' && s[10] == 'T' &&
	    s[13] == ':' && s[16] == ':' && (s[19] == '+' || s[19] == '-') &&
	    (y1 = digits2(s)) >= 0 && (y2 = digits2(s + 2)) >= 0 &&
	    (mo = digits2(s + 5)) >= 1 && mo <= 12 && (d = digits2(s + 8)) >= 1 &&
	    d <= 31 && (h = digits2(s + 11)) >= 0 && h < 24 &&
	    (mi = digits2(s + 14)) >= 0 && mi < 60 && (se = digits2(s + 17)) >= 0 &&
	    se <= 60 && (oh = digits2(s + 20)) >= 0 && (om = digits2(s + 22)) >= 0)
		return days(y1 * 100 + y2, (unsigned)mo, (unsigned)d) * 86400 +
		    h * 3600 + mi * 60 + se -
		    (s[19] == '-' ? -1 : 1) * (oh * 3600LL + om * 60);
	t = strtoll(s, &end, 10);
	if (*end == '\0' && end != s)
		return t;	/* epoch seconds */
	memset(&tm, 0, sizeof(tm));
	if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL &&
	    (p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm)) == NULL &&
	    (p = strptime(s, "%Y-%m-%dT%H:%M", &tm)) == NULL &&
	    (p = strptime(s, "%Y-%m-%d %H:%M", &tm)) == NULL) {
		memset(&tm, 0, sizeof(tm));
		if ((p = strptime(s, "%Y-%m-%d", &tm)) == NULL || *p != '\0')
			return -1;
		return (long long)timegm(&tm);	/* a date: its midnight, UTC */
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	t = (long long)timegm(&tm);
	if (*p == 'Z' && p[1] == '\0')
		return t;
	if (*p != '+' && *p != '-')
		return *p == '\0' ? t : -1;
	sign = *p++ == '-' ? -1 : 1;
	if (sscanf(p, "%2d%*[:]%2d", &hh, &mm) != 2 && sscanf(p, "%2d%2d", &hh, &mm) != 2)
		return -1;
	return t - sign * (hh * 3600LL + mm * 60LL);
}

long long
th_jv_time(jv obj, const char *key)
{
	jv v;
	long long t = -1;

	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return -1;
	v = jv_object_get(jv_copy(obj), keystr(key));
	if (jv_get_kind(v) == JV_KIND_STRING)
		t = th_time_parse(jv_string_value(v));
	jv_free(v);
	return t;
}

long long
th_time_arg(const char *s, long long now)
{
	long n;

	if (s == NULL || *s == '\0')
		return -1;
	/* an age has a unit: a bare number is epoch seconds */
	if (strpbrk(s, "smhdw") != NULL && (n = th_duration(s, 0)) >= 0)
		return now - n;
	return th_time_parse(s);
}

long long
th_jv_num(jv v)
{
	double d;

	if (jv_get_kind(v) != JV_KIND_NUMBER)
		return 0;
	d = jv_number_value(v);
	/* a double out of range (or NaN) cast to an integer is undefined:
	 * found by fuzzing ("code": 2.3e+23) */
	if (d != d)
		return 0;
	if (d >= 4611686018427387904.0)
		return 4611686018427387904LL;
	if (d <= -4611686018427387904.0)
		return -4611686018427387904LL;
	return (long long)d;
}

long long
th_jv_getnum(jv obj, const char *key)
{
	jv v = th_jv_get(obj, key);
	long long r = th_jv_num(v);

	jv_free(v);
	return r;
}

int
th_isid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n > 0 && n <= 30 && strspn(s, "0123456789") == n;
}
