/*
 * post: what one th-post job is and whether it may be sent. Everything
 * Threads would refuse and th can know beforehand is refused here, with
 * the rule in the message, so that a bad post costs no request; the
 * container parameters of each part and the --batch record decoder live
 * here too, next to the rules they follow. No request is made here.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "config.h"
#include "json.h"
#include "msg.h"
#include "permalink.h"
#include "post.h"
#include "text.h"

static const char *const rctls[] = {
	"everyone", "accounts_you_follow", "mentioned_only",
	"parent_post_author_only", "followers_only", NULL
};

int
th_fail(struct th_fail *f, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	f->status = status;
	if (f->line > 0)
		return th_msg(status, "line %ld: %s", f->line, f->why);
	return th_msg(status, "%s", f->why);
}

void
th_post_free(struct th_post *p)
{
	int i;

	for (i = 0; i < p->nm && i < TH_POST_MAXMEDIA; i++) {
		free(p->m[i].url);
		free(p->m[i].alt);
	}
	free(p->text);
	free(p->reply_to);
	free(p->quote);
	free(p->tag);
	free(p->link);
	free(p->rctl);
	free(p->location);
	free(p->countries);
	free(p->poll);
	free(p->attach);
	free(p->alink);
	free(p->astyle);
	free(p->astyles);
	free(p->key);
	free(p->gif);
	free(p->ents);
	free(p->igstory);
	memset(p, 0, sizeof(*p));
}

void
th_post_copy(struct th_post *d, const struct th_post *s)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->text = th_strdup(s->text);
	d->nm = s->nm;
	for (i = 0; i < s->nm && i < TH_POST_MAXMEDIA; i++) {
		d->m[i].url = th_strdup(s->m[i].url);
		d->m[i].alt = th_strdup(s->m[i].alt);
		d->m[i].video = s->m[i].video;
	}
	d->reply_to = th_strdup(s->reply_to);
	d->quote = th_strdup(s->quote);
	d->tag = th_strdup(s->tag);
	d->link = th_strdup(s->link);
	d->rctl = th_strdup(s->rctl);
	d->location = th_strdup(s->location);
	d->countries = th_strdup(s->countries);
	d->poll = th_strdup(s->poll);
	d->attach = th_strdup(s->attach);
	d->alink = th_strdup(s->alink);
	d->astyle = th_strdup(s->astyle);
	d->astyles = th_strdup(s->astyles);
	d->key = th_strdup(s->key);
	d->gif = th_strdup(s->gif);
	d->ents = th_strdup(s->ents);
	d->igstory = th_strdup(s->igstory);
	d->spoiler = s->spoiler;
	d->thread = s->thread;
	d->number = s->number;
	d->ghost = s->ghost;
	d->approvals = s->approvals;
	d->tspoil = s->tspoil;
}

void
th_post_addmedia(struct th_post *p, const char *url, int video)
{
	if (p->nm < TH_POST_MAXMEDIA) {
		p->m[p->nm].url = th_strdup(url);
		p->m[p->nm].video = video;
	}
	p->nm++;	/* counted past the limit, refused in th_post_check() */
}

int
th_post_isurl(const char *s)
{
	return strncasecmp(s, "https://", 8) == 0 || strncasecmp(s, "http://", 7) == 0;
}

static void
rtrim(char *s)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

void
th_parts_free(struct th_parts *pt)
{
	int i;

	for (i = 0; i < pt->n; i++)
		free(pt->text[i]);
	free(pt->text);
	pt->text = NULL;
	pt->n = 0;
}

/* Valid UTF-8 and no control characters (nl: newline and tab allowed)? */
static int
cleantext(struct th_fail *f, const char *what, const char *s, int nl)
{
	size_t len = strlen(s), bad;
	long c;

	if (!th_text_utf8(s, len, &bad))
		return th_fail(f, TH_EDATA, "%s is not valid UTF-8 (byte %zu)", what, bad);
	if ((c = th_text_control(s, len)) >= 0 || (!nl && strpbrk(s, "\n\t")))
		return th_fail(f, TH_EDATA, "%s contains a control character (byte %ld): "
		    "only newline and tab are allowed%s", what,
		    c >= 0 ? c : (long)(strpbrk(s, "\n\t") - s),
		    nl ? "" : ", and not here");
	return 0;
}

enum th_place
th_place_kind(const char *s, double *lat, double *lon)
{
	char *e;

	if (th_isid(s))
		return TH_PLACE_ID;
	/* digits, signs, points, one comma, blanks: nothing strtod would
	 * read as hex, exponents or "inf" */
	if (s[0] == '\0' || s[strspn(s, "0123456789+-., ")] != '\0' ||
	    strchr(s, ',') == NULL || strchr(s, ',') != strrchr(s, ','))
		return TH_PLACE_NAME;
	*lat = strtod(s, &e);
	e += strspn(e, " ");
	if (e == s || *e != ',')
		return TH_PLACE_NAME;
	s = e + 1;
	*lon = strtod(s, &e);
	e += strspn(e, " ");
	if (e == s || *e != '\0')
		return TH_PLACE_NAME;
	if (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180)
		return TH_PLACE_BAD;
	return TH_PLACE_COORDS;
}

/* A --location that location search can take, before any request. */
static int
checkplace(struct th_fail *f, const char *s)
{
	double lat, lon;
	int rc;

	switch (th_place_kind(s, &lat, &lon)) {
	case TH_PLACE_BAD:
		return th_fail(f, TH_EDATA, "location '%s': coordinates are LAT,LON "
		    "with latitude -90 to 90 and longitude -180 to 180", s);
	case TH_PLACE_NAME:
		if ((rc = cleantext(f, "the location", s, 0)) != 0)
			return rc;
		if (s[strspn(s, " ")] == '\0' || strlen(s) > 200)
			return th_fail(f, TH_EDATA, "location '%s': an id, a place's "
			    "name (1 to 200 bytes) or LAT,LON", s);
		break;
	default:
		break;
	}
	return 0;
}

void
th_post_addstyle(struct th_post *p, const char *spec)
{
	char *s;

	if (asprintf(&s, "%s%s%s", p->astyle ? p->astyle : "", p->astyle ? ";" :
	    "", spec) == -1)
		th_die(TH_EIO, "out of memory");
	free(p->astyle);
	p->astyle = s;
}

void
th_post_attachfile(struct th_post *p, const char *path)
{
	FILE *f;

	if ((f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r")) == NULL)
		th_die(TH_EDATA, "%s: %s", path, strerror(errno));
	free(p->attach);
	if ((p->attach = th_post_slurp(f, path)) == NULL)
		th_exit(TH_EDATA);
	if (f != stdin)
		fclose(f);
}

static const char *const styles[] = {
	"bold", "italic", "highlight", "underline", "strikethrough", NULL
};

/* One range "OFF+LEN=STYLE[,STYLE]" of s (NUL-terminated, modified) as
 * the API's {offset, length, styling_info} into *o; units is the
 * attachment's length. 0 or 65. */
static int
stylerange(struct th_fail *f, char *s, long units, long *off, long *len, jv *o)
{
	const char *const *st;
	char *e, *name, *save;
	jv list = jv_array();
	unsigned seen = 0;

	*o = jv_null();
	errno = 0;
	*off = isdigit((unsigned char)s[0]) ? strtol(s, &e, 10) : -1;
	if (*off < 0 || errno != 0 || *e != '+' || !isdigit((unsigned char)e[1]))
		goto bad;
	*len = strtol(e + 1, &e, 10);
	if (errno != 0 || *e != '=' || *len < 1)
		goto bad;
	for (name = strtok_r(e + 1, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		for (st = styles; *st != NULL && strcmp(*st, name) != 0; st++)
			;
		if (*st == NULL || (seen & (1u << (st - styles)))) {
			jv_free(list);
			return th_fail(f, TH_EDATA, "attachment style '%s': bold, italic, "
			    "highlight, underline or strikethrough, each once", name);
		}
		seen |= 1u << (st - styles);
		list = jv_array_append(list, jv_string(name));
	}
	if (seen == 0)
		goto bad;
	if (*off + *len > units) {
		jv_free(list);
		return th_fail(f, TH_EDATA, "attachment style %ld+%ld: past the end of "
		    "the attachment (%ld UTF-16 units)", *off, *len, units);
	}
	*o = jv_object_set(jv_object_set(jv_object_set(jv_object(),
	    jv_string("offset"), jv_number(*off)), jv_string("length"),
	    jv_number(*len)), jv_string("styling_info"), list);
	return 0;
bad:
	jv_free(list);
	return th_fail(f, TH_EDATA, "attachment style '%s': OFFSET+LENGTH=STYLE[,STYLE] "
	    "(length at least 1)", s);
}

/* The styling ranges into p->astyles: each well formed, inside the
 * attachment, none overlapping another (the API's rule). 0 or 65. */
static int
checkstyles(struct th_post *p, struct th_fail *f)
{
	char *spec, *r, *save;
	long units = 0, off = 0, len = 0, (*seen)[2] = NULL;
	size_t i, n = 0, k;
	uint32_t cp;
	jv list = jv_array(), o;
	int rc = 0;

	for (i = 0; p->attach[i] != '\0'; i += k) {
		if ((k = th_text_decode(p->attach + i, strlen(p->attach + i), &cp)) == 0)
			k = 1;
		units += cp > 0xffff ? 2 : 1;	/* the unit of spoilers: UNCONFIRMED */
	}
	spec = th_strdup(p->astyle);
	for (r = strtok_r(spec, ";", &save); r != NULL && rc == 0;
	    r = strtok_r(NULL, ";", &save)) {
		if ((rc = stylerange(f, r, units, &off, &len, &o)) != 0)
			break;
		for (i = 0; i < n && rc == 0; i++)
			if (off < seen[i][1] && seen[i][0] < off + len)
				rc = th_fail(f, TH_EDATA, "attachment styles %ld+%ld and "
				    "%ld+%ld overlap; give one range both styles",
				    seen[i][0], seen[i][1] - seen[i][0], off, len);
		if ((seen = reallocarray(seen, n + 1, sizeof(*seen))) == NULL)
			th_die(TH_EIO, "out of memory");
		seen[n][0] = off;
		seen[n++][1] = off + len;
		list = jv_array_append(list, o);
	}
	free(spec);
	free(seen);
	free(p->astyles);
	p->astyles = NULL;
	if (rc == 0 && n > 0)
		p->astyles = th_json_dump(list);
	else
		jv_free(list);
	return rc;
}

/* The text attachment's link and styles (p->attach checked already). */
static int
checkattach(struct th_post *p, struct th_fail *f)
{
	if ((p->alink != NULL || p->astyle != NULL) && p->attach == NULL)
		return th_fail(f, TH_EUSAGE, "--attachment-link and --attachment-style "
		    "go with --attachment");
	if (p->alink != NULL) {
		if (p->link != NULL)
			return th_fail(f, TH_EUSAGE, "--attachment-link or --link: a post "
			    "with a link attachment has no attachment link");
		if (!th_post_isurl(p->alink) || strpbrk(p->alink, " \t\n") != NULL)
			return th_fail(f, TH_EDATA, "attachment link '%s': an http(s) URL",
			    p->alink);
	}
	return p->astyle != NULL ? checkstyles(p, f) : 0;
}

/* Split "A|B|C" into trimmed options; returns how many (up to 8). */
static int
polloptions(const char *poll, char opt[8][128])
{
	const char *p = poll, *e;
	size_t n;
	int k = 0;

	for (;;) {
		e = strchr(p, '|');
		n = e ? (size_t)(e - p) : strlen(p);
		while (n > 0 && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (k < 8) {
			if (n >= 128)
				n = 127;	/* far past 25: still refused */
			memcpy(opt[k], p, n);
			opt[k][n] = '\0';
		}
		k++;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return k;
}

/* The media: how many, each a URL or a local file an uploader can send,
 * alt text within its limit. */
static int
checkmedia(struct th_post *p, struct th_fail *f)
{
	struct stat st;
	size_t n;
	int i, rc;

	if (p->nm > TH_POST_MAXMEDIA)
		return th_fail(f, TH_EDATA, "%d media: a carousel has 2 to %d items",
		    p->nm, TH_POST_MAXMEDIA);
	for (i = 0; i < p->nm; i++) {
		struct th_media *m = &p->m[i];
		if (m->url[0] == '\0' || strpbrk(m->url, " \t\r\n") != NULL ||
		    th_text_control(m->url, strlen(m->url)) >= 0)
			return th_fail(f, TH_EDATA, "media %d: '%s' is not a URL or a path",
			    i + 1, m->url);
		if (!th_post_isurl(m->url)) {
			if (stat(m->url, &st) == -1)
				return th_fail(f, TH_EDATA, "media %d: %s: %s", i + 1, m->url,
				    strerror(errno));
			if (!S_ISREG(st.st_mode))
				return th_fail(f, TH_EDATA, "media %d: %s: not a regular file",
				    i + 1, m->url);
			if (th_cfg.upload_cmd[0] == '\0')
				return th_fail(f, TH_ECONFIG, "media %d: %s is a local file: "
				    "Threads fetches media from a public URL; set "
				    "TH_UPLOAD_CMD (or upload_cmd in the config) to a "
				    "command that uploads a file and prints its URL",
				    i + 1, m->url);
		}
		if (m->alt != NULL) {
			if ((rc = cleantext(f, "the alt text", m->alt, 1)) != 0)
				return rc;
			if ((n = th_text_chars(m->alt, strlen(m->alt))) > 1000)
				return th_fail(f, TH_EDATA, "the alt text of media %d is %zu "
				    "characters; the limit is 1000", i + 1, n);
		}
	}
	if (p->spoiler && p->nm == 0)
		return th_fail(f, TH_EUSAGE, "--spoiler marks media: it needs --image or --video");
	return 0;
}

/* Poll, topic tag, link, attachment, reply control, ids, countries and
 * the key. Normalises the tag and the country codes. */
static int
checkextras(struct th_post *p, struct th_fail *f)
{
	char opt[8][128], *c;
	const char *const *r;
	size_t n;
	int i, k, rc;

	if (p->poll != NULL) {
		if (p->nm > 0 || p->attach != NULL)
			return th_fail(f, TH_EUSAGE, "a poll goes on a text post, without "
			    "media or --attachment");
		if ((rc = cleantext(f, "the poll", p->poll, 0)) != 0)
			return rc;
		if ((k = polloptions(p->poll, opt)) < 2 || k > 4)
			return th_fail(f, TH_EDATA, "the poll has %d option%s; a poll has 2 "
			    "to 4, separated by '|'", k, k == 1 ? "" : "s");
		for (i = 0; i < k; i++)
			if ((n = th_text_chars(opt[i], strlen(opt[i]))) < 1 || n > 25)
				return th_fail(f, TH_EDATA, "poll option %d is %zu characters; "
				    "options have 1 to 25", i + 1, n);
	}
	if (p->tag != NULL) {
		c = p->tag + (p->tag[0] == '#');
		memmove(p->tag, c, strlen(c) + 1);
		if ((rc = cleantext(f, "the topic tag", p->tag, 0)) != 0)
			return rc;
		n = th_text_chars(p->tag, strlen(p->tag));
		if (n < 1 || n > 50 || strpbrk(p->tag, ".&") != NULL)
			return th_fail(f, TH_EDATA, "topic tag '%s': a tag has 1 to 50 "
			    "characters and no '.' or '&'", p->tag);
	}
	if (p->link != NULL) {
		if (p->nm > 0)
			return th_fail(f, TH_EUSAGE, "--link goes on a text post, not with media");
		if (!th_post_isurl(p->link) || strpbrk(p->link, " \t\r\n") != NULL ||
		    th_text_control(p->link, strlen(p->link)) >= 0)
			return th_fail(f, TH_EDATA, "--link '%s': not an http(s) URL", p->link);
	}
	if (p->attach != NULL) {
		if (p->nm > 0)
			return th_fail(f, TH_EUSAGE, "--attachment goes on a text post, not "
			    "with media");
		if ((rc = cleantext(f, "the attachment", p->attach, 1)) != 0)
			return rc;
		if ((n = th_text_chars(p->attach, strlen(p->attach))) > 10000)
			return th_fail(f, TH_EDATA, "the attachment is %zu characters; the "
			    "limit is 10000", n);
	}
	if ((rc = checkattach(p, f)) != 0)
		return rc;
	if (p->rctl != NULL) {
		for (r = rctls; *r != NULL && strcmp(*r, p->rctl) != 0; r++)
			;
		if (*r == NULL)
			return th_fail(f, TH_EDATA, "reply control '%s': one of everyone, "
			    "accounts_you_follow, mentioned_only, "
			    "parent_post_author_only, followers_only", p->rctl);
	}
	if (p->reply_to != NULL && !th_isid(p->reply_to))
		return th_fail(f, TH_EDATA, "reply to '%s': not a Threads post id", p->reply_to);
	if (p->quote != NULL && !th_isid(p->quote))
		return th_fail(f, TH_EDATA, "quote '%s': not a Threads post id", p->quote);
	if (p->location != NULL && (rc = checkplace(f, p->location)) != 0)
		return rc;
	if (p->countries != NULL) {
		for (c = p->countries; *c != '\0'; c++)
			*c = (char)toupper((unsigned char)*c);
		for (c = p->countries;; c += 3) {
			if (!isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1]) ||
			    (c[2] != ',' && c[2] != '\0'))
				return th_fail(f, TH_EDATA, "countries '%s': ISO 3166 two-letter "
				    "codes separated by commas", p->countries);
			if (c[2] == '\0')
				break;
		}
	}
	if (p->key != NULL) {
		if (p->key[0] == '\0' || strlen(p->key) > 256)
			return th_fail(f, TH_EDATA, "a key has 1 to 256 bytes");
		if ((rc = cleantext(f, "the key", p->key, 0)) != 0)
			return rc;
	}
	return 0;
}

/*
 * The GIF: a GIPHY id, or a GIPHY page or media URL it is taken from.
 * Tenor was the provider at launch and Threads ended it on 2026-03-31:
 * a Tenor id (tenor:ID, a tenor.com URL, or digits only, as Tenor's ids
 * are and GIPHY's are not) is refused, saying so.
 */
static int
checkgif(struct th_post *p, struct th_fail *f)
{
	char host[256], *g, *id, *e;
	size_t n;
	int rc;

	if (p->gif == NULL)
		return 0;
	if (p->nm > 0)
		return th_fail(f, TH_EUSAGE, "--gif goes on a text post, not with media");
	id = g = th_strdup(p->gif);	/* cut up below; p->gif for messages */
	if (strncasecmp(g, "giphy:", 6) == 0)
		id = g + 6;
	else if (strncasecmp(g, "tenor:", 6) == 0)
		goto tenor;
	else if (th_post_isurl(g)) {
		e = strstr(g, "://") + 3;
		n = strcspn(e, "/?#");
		snprintf(host, sizeof(host), "%.*s", (int)n, e);
		e += n;
		n = strlen(host);
		if (n >= 9 && strcasecmp(host + n - 9, "tenor.com") == 0)
			goto tenor;
		if (strcasecmp(host, "giphy.com") == 0 ||
		    strcasecmp(host, "www.giphy.com") == 0) {
			/* /gifs/SLUG-ID or /embed/ID */
			if (strncmp(e, "/gifs/", 6) != 0 && strncmp(e, "/embed/", 7) != 0)
				goto bad;
			e = strchr(e + 1, '/') + 1;
			e[strcspn(e, "/?#")] = '\0';
			id = strrchr(e, '-') ? strrchr(e, '-') + 1 : e;
		} else if (n >= 10 && strcasecmp(host + n - 10, ".giphy.com") == 0) {
			/* media.giphy.com/media/ID/giphy.gif, i.giphy.com/ID.gif */
			if (strncmp(e, "/media/", 7) == 0)
				e += 7;
			else
				e += *e == '/';
			e[strcspn(e, "/.?#")] = '\0';
			id = e;
		} else
			goto bad;
	}
	n = strlen(id);
	if (n == 0 || n > 64 || strspn(id, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != n)
		goto bad;
	if (strspn(id, "0123456789") == n)
		goto tenor;
	th_setstr(&p->gif, id);
	free(g);
	return 0;
tenor:
	rc = th_fail(f, TH_EDATA, "GIF '%s' is from Tenor: Threads retired Tenor "
	    "GIFs on 2026-03-31; give a GIPHY id or URL", p->gif);
	free(g);
	return rc;
bad:
	rc = th_fail(f, TH_EDATA, "GIF '%s': not a GIPHY id (letters and digits, "
	    "as in giphy.com/gifs/...-ID) or a GIPHY URL", p->gif);
	free(g);
	return rc;
}

/*
 * A ghost post is a text post, not a reply, and "the only feature
 * supported with ghost posts is text spoilers" (the docs); what the API
 * answers to the rest is not known, so it is all refused here.
 */
static int
checkghost(const struct th_post *p, struct th_fail *f)
{
	const char *what;

	if (!p->ghost)
		return 0;
	what = p->nm > 0 ? "media" : p->reply_to ? "--reply-to (it cannot be a "
	    "reply)" : p->thread ? "--thread (its parts would be replies)" :
	    p->quote ? "--quote" : p->poll ? "--poll" : p->gif ? "--gif" :
	    p->link ? "--link" : p->attach ? "--attachment" : p->tag ? "--tag" :
	    p->location ? "--location" : p->countries ? "--countries" :
	    p->rctl ? "--reply-control" : p->approvals ? "--reply-approvals" :
	    p->igstory ? "--instagram-story" : NULL;
	if (what != NULL)
		return th_fail(f, TH_EUSAGE, "a ghost post is text, with text spoilers "
		    "at most: not with %s", what);
	return 0;
}

/*
 * Sharing to Instagram Stories (12.9) is light or dark, and for a post
 * of one's own: whether the API takes it on a reply is not known, and
 * the clients that send it set it on a thread's first post only.
 */
static int
checkigstory(const struct th_post *p, struct th_fail *f)
{
	if (p->igstory == NULL)
		return 0;
	if (strcmp(p->igstory, "light") != 0 && strcmp(p->igstory, "dark") != 0)
		return th_fail(f, TH_EUSAGE, "--instagram-story '%s': light or dark",
		    p->igstory);
	if (p->reply_to != NULL)
		return th_fail(f, TH_EUSAGE, "--instagram-story shares a post of your "
		    "own, not a reply (--reply-to)");
	return 0;
}

int
th_post_spoilers(const char *s, char **plain, char **ents, struct th_fail *f)
{
	struct th_buf b = TH_BUF_INIT;
	size_t i, n, u16 = 0, start = 0, open = 0, left = strlen(s);
	uint32_t cp;
	jv list = jv_array(), e;
	int k = 0;

	*plain = *ents = NULL;
	for (i = 0; i < left;) {
		if (s[i] == '\\' && s[i + 1] == '|') {
			n = 1;		/* the '|' alone */
			i++;
			u16++;
		} else if (s[i] == '|' && s[i + 1] == '|') {
			if (!open) {
				open = i + 1;
				start = u16;
			} else if (u16 == start) {
				jv_free(list);
				th_buf_free(&b);
				return th_fail(f, TH_EDATA, "the spoiler at byte %zu is "
				    "empty: ||...|| marks at least one character", open - 1);
			} else {
				if (++k > TH_POST_MAXSPOILERS) {
					jv_free(list);
					th_buf_free(&b);
					return th_fail(f, TH_EDATA, "more than %d spoilers; "
					    "a post may have at most %d",
					    TH_POST_MAXSPOILERS, TH_POST_MAXSPOILERS);
				}
				e = jv_object_set(jv_object(), jv_string("entity_type"),
				    jv_string("SPOILER"));
				e = jv_object_set(e, jv_string("offset"), jv_number(start));
				e = jv_object_set(e, jv_string("length"),
				    jv_number(u16 - start));
				list = jv_array_append(list, e);
				open = 0;
			}
			i += 2;
			continue;
		} else if ((n = th_text_decode(s + i, left - i, &cp)) == 0)
			n = 1;		/* not UTF-8: refused by the caller */
		else
			u16 += cp > 0xffff ? 2 : 1;	/* what the API counts */
		if (th_buf_add(&b, s + i, n) == -1)
			th_die(TH_EIO, "out of memory");
		i += n;
	}
	if (open) {
		jv_free(list);
		th_buf_free(&b);
		return th_fail(f, TH_EDATA, "the spoiler mark || at byte %zu is not "
		    "closed (\\| is a '|' that marks nothing)", open - 1);
	}
	if ((*plain = th_buf_take(&b)) == NULL && (*plain = strdup("")) == NULL)
		th_die(TH_EIO, "out of memory");
	if (k > 0)
		*ents = th_json_dump(list);
	else
		jv_free(list);
	return 0;
}

/* The post-intent URL (a web page, not an API call) and its parameters. */
#define INTENT	"https://www.threads.com/intent/post"

/* buf += "&name=value", value percent-encoded; NULL value: nothing. */
static void
qadd(struct th_buf *b, const char *name, const char *value)
{
	char *e;

	if (value == NULL)
		return;
	if ((e = curl_easy_escape(NULL, value, 0)) == NULL ||
	    th_buf_printf(b, "%c%s=%s", b->len == 0 ? '?' : '&', name, e) != 0)
		th_die(TH_EIO, "out of memory");
	curl_free(e);
}

/* The shortcode of a permalink given for -r or --quote; an id is
 * refused: the intent page names posts by shortcode only. */
static int
shortcode(struct th_fail *f, const char *what, const char *s, char *code,
    size_t size)
{
	char user[64];

	if (th_permalink_parse(s, user, sizeof(user), code, size))
		return 0;
	return th_fail(f, TH_EDATA, "%s '%s': an intent names the post by its "
	    "permalink (https://www.threads.com/@user/post/CODE), not by id",
	    what, s);
}

int
th_post_intent(struct th_post *p, char **url, struct th_fail *f)
{
	struct th_buf b = TH_BUF_INIT;
	char rcode[64], qcode[64], *rt = NULL, *qt = NULL;
	const char *what;
	int rc;

	*url = NULL;
	what = p->nm > 0 ? "media" : p->poll ? "--poll" : p->gif ? "--gif" :
	    p->attach ? "--attachment" : p->location ? "--location" :
	    p->countries ? "--countries" : p->ghost ? "--ghost" : p->approvals ?
	    "--reply-approvals" : p->tspoil ? "--text-spoilers" : p->thread ?
	    "--thread" : p->key ? "--key" : p->igstory ? "--instagram-story" : NULL;
	if (what != NULL)
		return th_fail(f, TH_EUSAGE, "--intent takes the text, --link, --tag, "
		    "--reply-control, -r and --quote: not %s", what);
	if (p->rctl != NULL && strcmp(p->rctl, "parent_post_author_only") == 0)
		return th_fail(f, TH_EDATA, "reply control '%s': the intent page takes "
		    "everyone, accounts_you_follow, mentioned_only or followers_only",
		    p->rctl);
	rcode[0] = qcode[0] = '\0';
	if ((p->reply_to != NULL && (rc = shortcode(f, "reply to", p->reply_to,
	    rcode, sizeof(rcode))) != 0) || (p->quote != NULL && (rc =
	    shortcode(f, "quote", p->quote, qcode, sizeof(qcode))) != 0))
		return rc;
	/* the rest of the rules as for a post; the shortcodes stand for
	 * the ids meanwhile */
	rt = p->reply_to, qt = p->quote;
	p->reply_to = p->quote = NULL;
	rc = th_post_check(p, f);
	p->reply_to = rt, p->quote = qt;
	if (rc != 0)
		return rc;
	qadd(&b, "text", p->text != NULL && p->text[0] != '\0' ? p->text : NULL);
	qadd(&b, "url", p->link);
	qadd(&b, "tag", p->tag);
	qadd(&b, "reply_control", p->rctl);
	qadd(&b, "reply_post_shortcode", rcode[0] ? rcode : NULL);
	qadd(&b, "quote_post_shortcode", qcode[0] ? qcode : NULL);
	if (asprintf(url, "%s%s", INTENT, b.len > 0 ? b.s : "") == -1)
		th_die(TH_EIO, "out of memory");
	th_buf_free(&b);
	return 0;
}

int
th_post_check(struct th_post *p, struct th_fail *f)
{
	size_t n, len;
	char *plain;
	int k, rc;

	rtrim(p->text);
	rtrim(p->attach);
	if (p->text != NULL && (rc = cleantext(f, "the text", p->text, 1)) != 0)
		return rc;
	if (p->tspoil && p->thread)
		return th_fail(f, TH_EUSAGE, "--text-spoilers marks one post's text, not "
		    "a --thread");
	if (p->tspoil && p->text != NULL) {
		free(p->ents);
		if ((rc = th_post_spoilers(p->text, &plain, &p->ents, f)) != 0)
			return rc;
		free(p->text);
		p->text = plain;
	}
	len = p->text ? strlen(p->text) : 0;
	if (len == 0 && p->nm == 0 && p->link == NULL && p->attach == NULL)
		return th_fail(f, TH_EDATA, "nothing to post: the text is empty");
	if (p->number && !p->thread)
		return th_fail(f, TH_EUSAGE, "--number numbers the parts of a --thread");
	if (!p->thread && len > 0) {
		if ((n = th_text_length(p->text, len)) > TH_POST_LIMIT)
			return th_fail(f, TH_EDATA, "the text is %zu characters; the limit is "
			    "%d (emoji count as their UTF-8 bytes): shorten it, or "
			    "split it with --thread", n, TH_POST_LIMIT);
	}
	/* the attachment's link counts unless the text has it (12.16) */
	if (!p->thread && (k = th_text_links(p->text ? p->text : "", len,
	    p->link ? p->link : p->alink)) > 5)
		return th_fail(f, TH_EDATA, "%d distinct links; a post may have at most 5 "
		    "(the --link attachment and the attachment's link count)", k);

	if ((rc = checkmedia(p, f)) != 0 || (rc = checkghost(p, f)) != 0 ||
	    (rc = checkgif(p, f)) != 0 || (rc = checkigstory(p, f)) != 0)
		return rc;
	return checkextras(p, f);
}

static int
digits(int n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

int
th_post_split(const struct th_post *p, struct th_parts *pt, struct th_fail *f)
{
	struct th_span *sp = NULL;
	size_t bad, len = p->text ? strlen(p->text) : 0, reserve;
	int n, i, d = 1, k;

	memset(pt, 0, sizeof(*pt));
	if (!p->thread || len == 0) {
		pt->text = calloc(1, sizeof(char *));
		if (pt->text == NULL)
			return th_fail(f, TH_EIO, "out of memory");
		pt->text[0] = th_strdup(p->text ? p->text : "");
		pt->n = 1;
		return 0;
	}
	/* numbering " k/n" takes room; split again if n needs more digits */
	for (;;) {
		reserve = p->number ? (size_t)(2 * d + 2) : 0;
		n = th_text_split(p->text, len, TH_POST_LIMIT, reserve, &sp, &bad);
		if (n < 0)
			return th_fail(f, TH_EDATA, "cannot split the thread: the word at "
			    "byte %zu is longer than a post", bad);
		if (!p->number || digits(n) <= d)
			break;
		free(sp);
		d = digits(n);
	}
	if ((pt->text = calloc((size_t)n, sizeof(char *))) == NULL) {
		free(sp);
		return th_fail(f, TH_EIO, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if (p->number && n > 1) {
			if (asprintf(&pt->text[i], "%.*s %d/%d", (int)sp[i].len,
			    p->text + sp[i].off, i + 1, n) == -1)
				th_die(TH_EIO, "out of memory");
		} else {
			if ((pt->text[i] = strndup(p->text + sp[i].off, sp[i].len)) == NULL)
				th_die(TH_EIO, "out of memory");
		}
		pt->n++;
	}
	free(sp);
	/* the link attachment rides on the first part */
	if ((k = th_text_links(pt->text[0], strlen(pt->text[0]), p->link)) > 5)
		return th_fail(f, TH_EDATA, "the first part and --link have %d distinct "
		    "links; a post may have at most 5", k);
	return 0;
}

/* The container parameters of part k (not the carousel's children). */
jv
th_post_params(const struct th_post *p, int k, const char *text, const char *target,
    const char *children)
{
	char opt[8][128], key[16], *s;
	jv o = jv_object(), poll, att;
	int i, n;

	if (text != NULL && text[0] != '\0')
		o = th_jv_setstr(o, "text", text);
	if (k > 0 || (p->nm == 0))
		o = th_jv_setstr(o, "media_type", "TEXT");
	else if (p->nm == 1) {
		o = th_jv_setstr(o, "media_type", p->m[0].video ? "VIDEO" : "IMAGE");
		o = th_jv_setstr(o, p->m[0].video ? "video_url" : "image_url", p->m[0].url);
		o = th_jv_setstr(o, "alt_text", p->m[0].alt);
	} else {
		o = th_jv_setstr(o, "media_type", "CAROUSEL");
		o = th_jv_setstr(o, "children", children);
	}
	if (k == 0) {
		if (p->ghost)
			o = th_jv_setstr(o, "is_ghost_post", "true");
		if (p->igstory != NULL)	/* one of the two, never both */
			o = th_jv_setstr(o, strcmp(p->igstory, "dark") == 0 ?
			    "crossreshare_to_ig_dark_mode" : "crossreshare_to_ig", "true");
		if (p->nm > 0 && p->spoiler)
			o = th_jv_setstr(o, "is_spoiler_media", "true");
		o = th_jv_setstr(o, "text_entities", p->ents);
		if (p->gif != NULL) {
			s = th_json_dump(jv_object_set(jv_object_set(jv_object(),
			    jv_string("gif_id"), jv_string(p->gif)),
			    jv_string("provider"), jv_string("GIPHY")));
			o = th_jv_setstr(o, "gif_attachment", s);
			free(s);
		}
		o = th_jv_setstr(o, "link_attachment", p->link);
		o = th_jv_setstr(o, "quote_post_id", p->quote);
		o = th_jv_setstr(o, "topic_tag", p->tag);
		o = th_jv_setstr(o, "location_id", p->location);
		if (p->poll != NULL) {
			poll = jv_object();
			n = polloptions(p->poll, opt);
			for (i = 0; i < n && i < 4; i++) {
				snprintf(key, sizeof(key), "option_%c", 'a' + i);
				poll = jv_object_set(poll, jv_string(key), jv_string(opt[i]));
			}
			s = th_json_dump(poll);
			o = th_jv_setstr(o, "poll_attachment", s);
			free(s);
		}
		if (p->attach != NULL) {
			att = jv_object_set(jv_object(), jv_string("plaintext"),
			    jv_string(p->attach));
			att = th_jv_setstr(att, "link_attachment_url", p->alink);
			if (p->astyles != NULL)
				att = jv_object_set(att, jv_string("text_with_styling_info"),
				    jv_parse(p->astyles));
			s = th_json_dump(att);
			o = th_jv_setstr(o, "text_attachment", s);
			free(s);
		}
	}
	o = th_jv_setstr(o, "reply_to_id", target);
	o = th_jv_setstr(o, "reply_control", p->rctl);
	if (p->approvals)	/* each part holds its own replies back */
		o = th_jv_setstr(o, "enable_reply_approvals", "true");
	o = th_jv_setstr(o, "allowlisted_country_codes", p->countries);
	return o;
}

jv
th_post_item(const struct th_media *m)
{
	jv o = jv_object();

	o = th_jv_setstr(o, "media_type", m->video ? "VIDEO" : "IMAGE");
	o = th_jv_setstr(o, m->video ? "video_url" : "image_url", m->url);
	o = th_jv_setstr(o, "is_carousel_item", "true");
	return th_jv_setstr(o, "alt_text", m->alt);
}

/* FNV-1a over n strings, each ended by a 0xff byte (never in UTF-8):
 * ("ab", "c") and ("a", "bc") differ, and so do NULL and "". */
static void
fnv(uint64_t *h, const char *s)
{
	if (s == NULL)
		*h = (*h ^ 0xfe) * 1099511628211ULL;
	else
		for (; *s != '\0'; s++)
			*h = (*h ^ (unsigned char)*s) * 1099511628211ULL;
	*h = (*h ^ 0xff) * 1099511628211ULL;
}

/* o with key set to the digest of s, when s is set. */
static jv
digest1(jv o, const char *key, const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	char hex[17];

	if (s == NULL)
		return o;
	fnv(&h, s);
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	return th_jv_setstr(o, key, hex);
}

jv
th_post_digest(const struct th_post *p, int k, const char *text)
{
	struct th_buf media, poll;
	char opt[8][128];
	jv o = jv_object();
	int i, n;

	th_buf_init(&media);
	th_buf_init(&poll);
	o = digest1(o, "text", text != NULL && text[0] != '\0' ? text : NULL);
	if (k == 0) {
		/* the media as a list of kind, URL (or path) and alt text;
		 * the spoiler flag marks them */
		for (i = 0; i < p->nm && i < TH_POST_MAXMEDIA; i++)
			if (th_buf_printf(&media, "%s\n%s\n%s\n", p->m[i].video ?
			    "video" : "image", p->m[i].url, p->m[i].alt ?
			    p->m[i].alt : "") != 0)
				th_die(TH_EIO, "out of memory");
		if (media.len > 0 && p->spoiler && th_buf_adds(&media, "spoiler") != 0)
			th_die(TH_EIO, "out of memory");
		o = digest1(o, "media", media.len > 0 ? media.s : NULL);
		o = digest1(o, "reply_to", p->reply_to);
		o = digest1(o, "quote", p->quote);
		o = digest1(o, "tag", p->tag);
		o = digest1(o, "link", p->link);
		if (p->poll != NULL) {	/* as sent: options trimmed */
			n = polloptions(p->poll, opt);
			for (i = 0; i < n && i < 8; i++)
				if (th_buf_printf(&poll, "%s\n", opt[i]) != 0)
					th_die(TH_EIO, "out of memory");
		}
		o = digest1(o, "poll", poll.len > 0 ? poll.s : NULL);
		o = digest1(o, "attachment", p->attach);
		o = digest1(o, "attachment_link", p->alink);
		o = digest1(o, "attachment_style", p->astyles);
		o = digest1(o, "location", p->location);
		o = digest1(o, "ghost", p->ghost ? "true" : NULL);
		o = digest1(o, "gif", p->gif);
		o = digest1(o, "spoilers", p->ents);
		o = digest1(o, "instagram_story", p->igstory);
	}
	o = digest1(o, "reply_control", p->rctl);
	o = digest1(o, "reply_approvals", p->approvals ? "true" : NULL);
	o = digest1(o, "countries", p->countries);
	th_buf_free(&media);
	th_buf_free(&poll);
	return o;
}

static int
recstr(struct th_fail *f, jv rec, const char *key, char **dst)
{
	jv v = jv_object_get(jv_copy(rec), jv_string(key));
	char *s;

	switch (jv_get_kind(v)) {
	case JV_KIND_INVALID:
	case JV_KIND_NULL:
		jv_free(v);
		return 0;
	case JV_KIND_STRING:
		th_setstr(dst, jv_string_value(v));
		jv_free(v);
		return 0;
	case JV_KIND_NUMBER:
		jv_free(v);
		if ((s = th_jv_idstr(rec, key)) == NULL)
			return th_fail(f, TH_EDATA, "field %s: not a string", key);
		free(*dst);
		*dst = s;
		return 0;
	default:
		jv_free(v);
		return th_fail(f, TH_EDATA, "field %s: not a string", key);
	}
}

static int
recbool(struct th_fail *f, jv rec, const char *key, int *dst)
{
	jv v = jv_object_get(jv_copy(rec), jv_string(key));
	jv_kind k = jv_get_kind(v);

	jv_free(v);
	if (k == JV_KIND_TRUE || k == JV_KIND_FALSE)
		*dst = k == JV_KIND_TRUE;
	else if (k != JV_KIND_NULL && k != JV_KIND_INVALID)
		return th_fail(f, TH_EDATA, "field %s: not true or false", key);
	return 0;
}

/* field (a string or an array of strings) joined with sep into *dst */
static int
recjoin(struct th_fail *f, jv rec, const char *key, const char *sep, char **dst)
{
	jv v = jv_object_get(jv_copy(rec), jv_string(key));
	char *s = NULL, *ns;
	int rc = 0;

	if (jv_get_kind(v) != JV_KIND_ARRAY) {
		jv_free(v);
		return recstr(f, rec, key, dst);
	}
	jv_array_foreach(v, ai, e) {
		if (rc == 0 && jv_get_kind(e) != JV_KIND_STRING)
			rc = th_fail(f, TH_EDATA, "field %s: not a list of strings", key);
		if (rc == 0) {
			if (asprintf(&ns, "%s%s%s", s ? s : "", s ? sep : "",
			    jv_string_value(e)) == -1)
				th_die(TH_EIO, "out of memory");
			free(s);
			s = ns;
		}
		jv_free(e);
	}
	jv_free(v);
	if (rc == 0 && s != NULL) {
		free(*dst);
		*dst = s;
	} else
		free(s);
	return rc;
}

/* Media from image_url(s) / video_url(s): a record's media replace the
 * command line's. */
static int
recmedia(struct th_post *p, jv rec, struct th_fail *f)
{
	static const struct { const char *key; int video, list; } fld[] = {
		{ "image_url", 0, 0 }, { "image_urls", 0, 1 },
		{ "video_url", 1, 0 }, { "video_urls", 1, 1 },
	};
	struct th_post tmp;
	size_t i;
	int n, rc, replaced = 0;
	jv v;

	memset(&tmp, 0, sizeof(tmp));
	for (i = 0; i < sizeof(fld) / sizeof(fld[0]); i++) {
		int bad = 0;
		v = jv_object_get(jv_copy(rec), jv_string(fld[i].key));
		if (jv_get_kind(v) == JV_KIND_NULL || !jv_is_valid(v)) {
			jv_free(v);
			continue;
		}
		replaced = 1;
		if (!fld[i].list && jv_get_kind(v) == JV_KIND_STRING)
			th_post_addmedia(&tmp, jv_string_value(v), fld[i].video);
		else if (fld[i].list && jv_get_kind(v) == JV_KIND_ARRAY) {
			jv_array_foreach(v, ai, e) {
				if (jv_get_kind(e) == JV_KIND_STRING)
					th_post_addmedia(&tmp, jv_string_value(e), fld[i].video);
				else
					bad = 1;
				jv_free(e);
			}
		} else
			bad = 1;
		jv_free(v);
		if (bad) {
			th_post_free(&tmp);
			return th_fail(f, TH_EDATA, "field %s: not a URL%s", fld[i].key,
			    fld[i].list ? " list" : "");
		}
	}
	if (!replaced)
		return 0;
	for (n = 0; n < p->nm && n < TH_POST_MAXMEDIA; n++) {
		free(p->m[n].url);
		free(p->m[n].alt);
		p->m[n].url = p->m[n].alt = NULL;
	}
	memcpy(p->m, tmp.m, sizeof(p->m));
	p->nm = tmp.nm;
	rc = 0;
	if (p->nm > 0 && p->nm <= TH_POST_MAXMEDIA) {
		if ((rc = recstr(f, rec, "alt_text", &p->m[0].alt)) == 0)
			rc = recstr(f, rec, "alt", &p->m[0].alt);
	}
	return rc;
}

int
th_post_fromrec(struct th_post *p, jv rec, struct th_fail *f)
{
	int rc;

	if ((rc = recstr(f, rec, "text", &p->text)) != 0 ||
	    (rc = recmedia(p, rec, f)) != 0 ||
	    (rc = recstr(f, rec, "reply_to", &p->reply_to)) != 0 ||
	    (rc = recstr(f, rec, "reply_to_id", &p->reply_to)) != 0 ||
	    (rc = recstr(f, rec, "quote", &p->quote)) != 0 ||
	    (rc = recstr(f, rec, "quote_post_id", &p->quote)) != 0 ||
	    (rc = recstr(f, rec, "tag", &p->tag)) != 0 ||
	    (rc = recstr(f, rec, "topic_tag", &p->tag)) != 0 ||
	    (rc = recstr(f, rec, "link", &p->link)) != 0 ||
	    (rc = recstr(f, rec, "key", &p->key)) != 0 ||
	    (rc = recjoin(f, rec, "poll", "|", &p->poll)) != 0 ||
	    (rc = recstr(f, rec, "reply_control", &p->rctl)) != 0 ||
	    (rc = recstr(f, rec, "location", &p->location)) != 0 ||
	    (rc = recjoin(f, rec, "countries", ",", &p->countries)) != 0 ||
	    (rc = recstr(f, rec, "attachment", &p->attach)) != 0 ||
	    (rc = recstr(f, rec, "attachment_link", &p->alink)) != 0 ||
	    (rc = recjoin(f, rec, "attachment_style", ";", &p->astyle)) != 0 ||
	    (rc = recstr(f, rec, "gif", &p->gif)) != 0 ||
	    (rc = recstr(f, rec, "instagram_story", &p->igstory)) != 0 ||
	    (rc = recbool(f, rec, "ghost", &p->ghost)) != 0 ||
	    (rc = recbool(f, rec, "reply_approvals", &p->approvals)) != 0 ||
	    (rc = recbool(f, rec, "text_spoilers", &p->tspoil)) != 0 ||
	    (rc = recbool(f, rec, "spoiler", &p->spoiler)) != 0 ||
	    (rc = recbool(f, rec, "thread", &p->thread)) != 0 ||
	    (rc = recbool(f, rec, "number", &p->number)) != 0)
		return rc;
	return 0;
}

char *
th_post_slurp(FILE *f, const char *name)
{
	struct th_buf b = TH_BUF_INIT;
	char chunk[8192], *text;
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (th_buf_add(&b, chunk, n) == -1) {
			th_buf_free(&b);
			th_msg(TH_EIO, "out of memory");
			return NULL;
		}
		if (b.len > TH_POST_MAXTEXT) {
			th_buf_free(&b);
			th_msg(TH_EDATA, "%s: more than %d bytes of text", name, TH_POST_MAXTEXT);
			return NULL;
		}
	}
	if (ferror(f)) {
		th_buf_free(&b);
		th_msg(TH_EIO, "%s: %s", name, strerror(errno));
		return NULL;
	}
	if (b.len > 0 && memchr(b.s, '\0', b.len) != NULL) {
		th_buf_free(&b);
		th_msg(TH_EDATA, "%s: the text contains a NUL byte", name);
		return NULL;
	}
	if ((text = th_buf_take(&b)) == NULL)
		th_msg(TH_EIO, "out of memory");
	return text;
}
