/*
 * th-post: publish to Threads, exactly once.
 *
 *	th-post [options] [text ...]
 *
 * Text comes from the operands, from standard input ("-", or no operand
 * and stdin not a terminal) or from -F FILE. Everything that can be
 * checked is checked before the first request (exit 65, nothing sent).
 * Publishing is always the two-step flow: create a container, record it
 * in the ledger, wait until it is FINISHED, publish it on a fresh
 * connection. A publish whose answer is lost is never repeated blindly:
 * the container's status settles it (PUBLISHED: find the post by its
 * text; FINISHED: publish again). With --key, a post published before is
 * printed again with "duplicate": true, from the ledger or, on a machine
 * that has none, from the account's own recent posts.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "auth.h"
#include "cli.h"
#include "config.h"
#include "http.h"
#include "json.h"
#include "out.h"
#include "store.h"
#include "text.h"

#define MAXMEDIA	20
#define MAXTEXT		(1 << 20)	/* input cap: far above any thread */
#define TEXTLIMIT	500

enum {
	OPT_VIDEO = TH_OPT_VERB, OPT_ALT, OPT_QUOTE, OPT_POLL, OPT_TAG,
	OPT_LINK, OPT_REPLY_CONTROL, OPT_SPOILER, OPT_LOCATION, OPT_COUNTRIES,
	OPT_THREAD, OPT_NUMBER, OPT_BATCH, OPT_WAIT_TIMEOUT, OPT_WINDOW,
	OPT_ATTACHMENT, OPT_REPUBLISH
};

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "file",		required_argument,	NULL, 'F' },
	{ "dry-run",		no_argument,		NULL, 'n' },
	{ "reply-to",		required_argument,	NULL, 'r' },
	{ "key",		required_argument,	NULL, 'k' },
	{ "image",		required_argument,	NULL, 'i' },
	{ "video",		required_argument,	NULL, OPT_VIDEO },
	{ "alt",		required_argument,	NULL, OPT_ALT },
	{ "quote",		required_argument,	NULL, OPT_QUOTE },
	{ "poll",		required_argument,	NULL, OPT_POLL },
	{ "tag",		required_argument,	NULL, OPT_TAG },
	{ "link",		required_argument,	NULL, OPT_LINK },
	{ "reply-control",	required_argument,	NULL, OPT_REPLY_CONTROL },
	{ "spoiler",		no_argument,		NULL, OPT_SPOILER },
	{ "location",		required_argument,	NULL, OPT_LOCATION },
	{ "countries",		required_argument,	NULL, OPT_COUNTRIES },
	{ "thread",		no_argument,		NULL, OPT_THREAD },
	{ "number",		no_argument,		NULL, OPT_NUMBER },
	{ "batch",		no_argument,		NULL, OPT_BATCH },
	{ "wait-timeout",	required_argument,	NULL, OPT_WAIT_TIMEOUT },
	{ "window",		required_argument,	NULL, OPT_WINDOW },
	{ "attachment",		required_argument,	NULL, OPT_ATTACHMENT },
	{ "republish",		no_argument,		NULL, OPT_REPUBLISH },
	{ NULL, 0, NULL, 0 }
};

struct media {
	char	*url;		/* a URL, or a local path until uploaded */
	char	*alt;
	int	 video;
};

/* One post (or one thread) to publish; every string is malloc'd. */
struct job {
	char		*text;
	struct media	 m[MAXMEDIA];
	int		 nm;		/* media given, may exceed MAXMEDIA */
	char		*reply_to, *quote, *tag, *link, *rctl, *location;
	char		*countries, *poll, *attach, *key;
	int		 spoiler, thread, number;
	long		 line;		/* the batch line, 0 outside --batch */
};

static int dryrun, republish;
static long waittimeout = 300;		/* seconds: processing, per container */
static long pubtimeout = 60;		/* seconds: 24/4279009 after FINISHED */
static long long runstart;		/* epoch seconds: this run began */
static long window = 7 * 86400;		/* how far back a --key looks */
static char uid[32];
static char lastwhy[1024];		/* the last failure, for --batch */

static const char *const rctls[] = {
	"everyone", "accounts_you_follow", "mentioned_only",
	"parent_post_author_only", "followers_only", NULL
};

static void
usage(int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f,
	    "usage: th-post [-nv] [-a account] [-F file] [-k key] [-r id] [-i url]\n"
	    "               [--video url] [--alt text] [--quote id] [--poll 'A|B']\n"
	    "               [--tag topic] [--link url] [--reply-control value]\n"
	    "               [--spoiler] [--location id] [--countries CC,...]\n"
	    "               [--attachment file] [--thread [--number]]\n"
	    "               [--wait-timeout secs] [--window days] [--republish]\n"
	    "               [--jq filter]\n"
	    "               [text ... | -]\n"
	    "       th-post --batch [options] < records.ndjson\n");
	th_exit(status);
}

/* A failure of job j: "line N: " first in a batch; remembered for its
 * result line. Returns status. */
static int __attribute__((format(printf, 3, 4)))
fail(const struct job *j, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lastwhy, sizeof(lastwhy), fmt, ap);
	va_end(ap);
	if (j != NULL && j->line > 0)
		return th_msg(status, "line %ld: %s", j->line, lastwhy);
	return th_msg(status, "%s", lastwhy);
}

/* An API failure: reported with its detail. Returns its status. */
static int
apifail(const struct job *j, struct th_api_res *res, const char *what)
{
	char buf[256];
	int rc;

	if (j != NULL && j->line > 0)
		snprintf(buf, sizeof(buf), "line %ld: %s", j->line, what);
	else
		snprintf(buf, sizeof(buf), "%s", what);
	snprintf(lastwhy, sizeof(lastwhy), "%s: %s", what, res->why);
	rc = th_api_report(res, buf);
	th_api_res_free(res);
	return rc;
}

static void
msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void
job_free(struct job *j)
{
	int i;

	for (i = 0; i < j->nm && i < MAXMEDIA; i++) {
		free(j->m[i].url);
		free(j->m[i].alt);
	}
	free(j->text);
	free(j->reply_to);
	free(j->quote);
	free(j->tag);
	free(j->link);
	free(j->rctl);
	free(j->location);
	free(j->countries);
	free(j->poll);
	free(j->attach);
	free(j->key);
	memset(j, 0, sizeof(*j));
}

static void
job_copy(struct job *d, const struct job *s)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->text = th_strdup(s->text);
	d->nm = s->nm;
	for (i = 0; i < s->nm && i < MAXMEDIA; i++) {
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
	d->key = th_strdup(s->key);
	d->spoiler = s->spoiler;
	d->thread = s->thread;
	d->number = s->number;
}

static void
addmedia(struct job *j, const char *url, int video)
{
	if (j->nm < MAXMEDIA) {
		j->m[j->nm].url = th_strdup(url);
		j->m[j->nm].video = video;
	}
	j->nm++;	/* counted past the limit, refused in validate() */
}

/* Read all of f, at most MAXTEXT bytes. NULL after a message. */
static char *
slurp(FILE *f, const char *name)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, n;

	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				th_msg(TH_EIO, "out of memory");
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len > MAXTEXT) {
			free(buf);
			th_msg(TH_EDATA, "%s: more than %d bytes of text", name, MAXTEXT);
			return NULL;
		}
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		th_msg(TH_EIO, "%s: %s", name, strerror(errno));
		return NULL;
	}
	if (memchr(buf, '\0', len) != NULL) {
		free(buf);
		th_msg(TH_EDATA, "%s: the text contains a NUL byte", name);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static void
rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

static int
isurl(const char *s)
{
	return strncasecmp(s, "https://", 8) == 0 || strncasecmp(s, "http://", 7) == 0;
}

/* Valid UTF-8 and no control characters (nl: newline and tab allowed)? */
static int
cleantext(const struct job *j, const char *what, const char *s, int nl)
{
	size_t len = strlen(s), bad;
	long c;

	if (!th_text_utf8(s, len, &bad))
		return fail(j, TH_EDATA, "%s is not valid UTF-8 (byte %zu)", what, bad);
	if ((c = th_text_control(s, len)) >= 0 || (!nl && strpbrk(s, "\n\t")))
		return fail(j, TH_EDATA, "%s contains a control character (byte %ld): "
		    "only newline and tab are allowed%s", what,
		    c >= 0 ? c : (long)(strpbrk(s, "\n\t") - s),
		    nl ? "" : ", and not here");
	return 0;
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

/*
 * Everything th can check before sending anything. Returns 0, 64 (options
 * that do not go together), 65 (bad data) or 78 (a local file and no
 * uploader).
 */
static int
validate(struct job *j)
{
	char opt[8][128], *p;
	const char *const *r;
	size_t n, len = j->text ? strlen(j->text) : 0;
	int i, k, rc;
	struct stat st;

	if (j->text != NULL && (rc = cleantext(j, "the text", j->text, 1)) != 0)
		return rc;
	if (len == 0 && j->nm == 0 && j->link == NULL && j->attach == NULL)
		return fail(j, TH_EDATA, "nothing to post: the text is empty");
	if (j->number && !j->thread)
		return fail(j, TH_EUSAGE, "--number numbers the parts of a --thread");
	if (!j->thread && len > 0) {
		if ((n = th_text_length(j->text, len)) > TEXTLIMIT)
			return fail(j, TH_EDATA, "the text is %zu characters; the limit is "
			    "%d (emoji count as their UTF-8 bytes): shorten it, or "
			    "split it with --thread", n, TEXTLIMIT);
	}
	if (!j->thread && (k = th_text_links(j->text ? j->text : "", len,
	    j->link)) > 5)
		return fail(j, TH_EDATA, "%d distinct links; a post may have at most 5 "
		    "(the --link attachment counts)", k);

	if (j->nm > MAXMEDIA)
		return fail(j, TH_EDATA, "%d media: a carousel has 2 to %d items",
		    j->nm, MAXMEDIA);
	for (i = 0; i < j->nm; i++) {
		struct media *m = &j->m[i];
		if (m->url[0] == '\0' || strpbrk(m->url, " \t\r\n") != NULL ||
		    th_text_control(m->url, strlen(m->url)) >= 0)
			return fail(j, TH_EDATA, "media %d: '%s' is not a URL or a path",
			    i + 1, m->url);
		if (!isurl(m->url)) {
			if (stat(m->url, &st) == -1)
				return fail(j, TH_EDATA, "media %d: %s: %s", i + 1, m->url,
				    strerror(errno));
			if (!S_ISREG(st.st_mode))
				return fail(j, TH_EDATA, "media %d: %s: not a regular file",
				    i + 1, m->url);
			if (th_cfg.upload_cmd[0] == '\0')
				return fail(j, TH_ECONFIG, "media %d: %s is a local file: "
				    "Threads fetches media from a public URL; set "
				    "TH_UPLOAD_CMD (or upload_cmd in the config) to a "
				    "command that uploads a file and prints its URL",
				    i + 1, m->url);
		}
		if (m->alt != NULL) {
			if ((rc = cleantext(j, "the alt text", m->alt, 1)) != 0)
				return rc;
			if ((n = th_text_chars(m->alt, strlen(m->alt))) > 1000)
				return fail(j, TH_EDATA, "the alt text of media %d is %zu "
				    "characters; the limit is 1000", i + 1, n);
		}
	}
	if (j->spoiler && j->nm == 0)
		return fail(j, TH_EUSAGE, "--spoiler marks media: it needs --image or --video");

	if (j->poll != NULL) {
		if (j->nm > 0 || j->attach != NULL)
			return fail(j, TH_EUSAGE, "a poll goes on a text post, without "
			    "media or --attachment");
		if ((rc = cleantext(j, "the poll", j->poll, 0)) != 0)
			return rc;
		if ((k = polloptions(j->poll, opt)) < 2 || k > 4)
			return fail(j, TH_EDATA, "the poll has %d option%s; a poll has 2 "
			    "to 4, separated by '|'", k, k == 1 ? "" : "s");
		for (i = 0; i < k; i++)
			if ((n = th_text_chars(opt[i], strlen(opt[i]))) < 1 || n > 25)
				return fail(j, TH_EDATA, "poll option %d is %zu characters; "
				    "options have 1 to 25", i + 1, n);
	}
	if (j->tag != NULL) {
		p = j->tag + (j->tag[0] == '#');
		memmove(j->tag, p, strlen(p) + 1);
		if ((rc = cleantext(j, "the topic tag", j->tag, 0)) != 0)
			return rc;
		n = th_text_chars(j->tag, strlen(j->tag));
		if (n < 1 || n > 50 || strpbrk(j->tag, ".&") != NULL)
			return fail(j, TH_EDATA, "topic tag '%s': a tag has 1 to 50 "
			    "characters and no '.' or '&'", j->tag);
	}
	if (j->link != NULL) {
		if (j->nm > 0)
			return fail(j, TH_EUSAGE, "--link goes on a text post, not with media");
		if (!isurl(j->link) || strpbrk(j->link, " \t\r\n") != NULL ||
		    th_text_control(j->link, strlen(j->link)) >= 0)
			return fail(j, TH_EDATA, "--link '%s': not an http(s) URL", j->link);
	}
	if (j->attach != NULL) {
		if (j->nm > 0)
			return fail(j, TH_EUSAGE, "--attachment goes on a text post, not "
			    "with media");
		if ((rc = cleantext(j, "the attachment", j->attach, 1)) != 0)
			return rc;
		if ((n = th_text_chars(j->attach, strlen(j->attach))) > 10000)
			return fail(j, TH_EDATA, "the attachment is %zu characters; the "
			    "limit is 10000", n);
	}
	if (j->rctl != NULL) {
		for (r = rctls; *r != NULL && strcmp(*r, j->rctl) != 0; r++)
			;
		if (*r == NULL)
			return fail(j, TH_EDATA, "reply control '%s': one of everyone, "
			    "accounts_you_follow, mentioned_only, "
			    "parent_post_author_only, followers_only", j->rctl);
	}
	if (j->reply_to != NULL && !th_isid(j->reply_to))
		return fail(j, TH_EDATA, "reply to '%s': not a Threads post id", j->reply_to);
	if (j->quote != NULL && !th_isid(j->quote))
		return fail(j, TH_EDATA, "quote '%s': not a Threads post id", j->quote);
	if (j->location != NULL && !th_isid(j->location))
		return fail(j, TH_EDATA, "location '%s': not a location id", j->location);
	if (j->countries != NULL) {
		for (p = j->countries; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		for (p = j->countries;; p += 3) {
			if (!isupper((unsigned char)p[0]) || !isupper((unsigned char)p[1]) ||
			    (p[2] != ',' && p[2] != '\0'))
				return fail(j, TH_EDATA, "countries '%s': ISO 3166 two-letter "
				    "codes separated by commas", j->countries);
			if (p[2] == '\0')
				break;
		}
	}
	if (j->key != NULL) {
		if (j->key[0] == '\0' || strlen(j->key) > 256)
			return fail(j, TH_EDATA, "a key has 1 to 256 bytes");
		if ((rc = cleantext(j, "the key", j->key, 0)) != 0)
			return rc;
	}
	return 0;
}

/* The parts of the job: the text, or the thread split from it. */
struct parts {
	char	**text;
	int	  n;
};

static void
parts_free(struct parts *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		free(p->text[i]);
	free(p->text);
	p->text = NULL;
	p->n = 0;
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

static int
mkparts(struct job *j, struct parts *p)
{
	struct th_span *sp = NULL;
	size_t bad, len = j->text ? strlen(j->text) : 0, reserve;
	int n, i, d = 1, k;

	memset(p, 0, sizeof(*p));
	if (!j->thread || len == 0) {
		p->text = calloc(1, sizeof(char *));
		if (p->text == NULL)
			return fail(j, TH_EIO, "out of memory");
		p->text[0] = th_strdup(j->text ? j->text : "");
		p->n = 1;
		return 0;
	}
	/* numbering " k/n" takes room; split again if n needs more digits */
	for (;;) {
		reserve = j->number ? (size_t)(2 * d + 2) : 0;
		n = th_text_split(j->text, len, TEXTLIMIT, reserve, &sp, &bad);
		if (n < 0)
			return fail(j, TH_EDATA, "cannot split the thread: the word at "
			    "byte %zu is longer than a post", bad);
		if (!j->number || digits(n) <= d)
			break;
		free(sp);
		d = digits(n);
	}
	if ((p->text = calloc((size_t)n, sizeof(char *))) == NULL) {
		free(sp);
		return fail(j, TH_EIO, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if (j->number && n > 1) {
			if (asprintf(&p->text[i], "%.*s %d/%d", (int)sp[i].len,
			    j->text + sp[i].off, i + 1, n) == -1)
				th_die(TH_EIO, "out of memory");
		} else {
			if ((p->text[i] = strndup(j->text + sp[i].off, sp[i].len)) == NULL)
				th_die(TH_EIO, "out of memory");
		}
		p->n++;
	}
	free(sp);
	/* the link attachment rides on the first part */
	if ((k = th_text_links(p->text[0], strlen(p->text[0]), j->link)) > 5)
		return fail(j, TH_EDATA, "the first part and --link have %d distinct "
		    "links; a post may have at most 5", k);
	return 0;
}

/* ---- the API side ---------------------------------------------------- */

enum cstate { C_IN_PROGRESS, C_FINISHED, C_PUBLISHED, C_ERROR, C_EXPIRED, C_GONE };

static const char *
errwords(const char *code)
{
	static const struct { const char *code, *words; } w[] = {
		{ "FAILED_DOWNLOADING_VIDEO", "Threads could not download the video "
		    "(is the URL public?)" },
		{ "FAILED_PROCESSING_AUDIO", "Threads could not process the audio" },
		{ "FAILED_PROCESSING_VIDEO", "Threads could not process the video" },
		{ "INVALID_ASPEC_RATIO", "the aspect ratio is not allowed (at most 10:1)" },
		{ "INVALID_BIT_RATE", "the bit rate is too high" },
		{ "INVALID_DURATION", "the video is too long or too short (up to 5 "
		    "minutes)" },
		{ "INVALID_FRAME_RATE", "the frame rate is not allowed (23 to 60 fps)" },
		{ "INVALID_AUDIO_CHANNELS", "the audio must be mono or stereo" },
		{ "INVALID_AUDIO_CHANNEL_LAYOUT", "the audio channel layout is not "
		    "allowed" },
		{ "UNKNOWN", "unknown error (often: Threads could not fetch the media "
		    "URL)" },
	};
	size_t i;

	for (i = 0; code != NULL && i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(code, w[i].code) == 0)
			return w[i].words;
	return "no reason given";
}

/* The container's status. Returns 0 with *st (and *em, malloc'd, for
 * ERROR), or the exit status of a failed read (reported). */
static int
cstatus(const struct job *j, const char *cid, enum cstate *st, char **em)
{
	struct th_api_res res;
	char *s;
	char what[96];

	if (em != NULL)
		*em = NULL;
	if (th_api_call("GET", cid, jv_object_set(jv_object(), jv_string("fields"),
	    jv_string("id,status,error_message")), &res) != 0) {
		if (res.status == TH_EFAIL) {	/* no such container */
			th_api_res_free(&res);
			*st = C_GONE;
			return 0;
		}
		snprintf(what, sizeof(what), "cannot read the status of container %s", cid);
		return apifail(j, &res, what);
	}
	s = th_jv_strdup(res.body, "status");
	if (s == NULL || strcmp(s, "IN_PROGRESS") == 0)
		*st = C_IN_PROGRESS;
	else if (strcmp(s, "FINISHED") == 0)
		*st = C_FINISHED;
	else if (strcmp(s, "PUBLISHED") == 0)
		*st = C_PUBLISHED;
	else if (strcmp(s, "EXPIRED") == 0)
		*st = C_EXPIRED;
	else
		*st = C_ERROR;
	if (*st == C_ERROR && em != NULL)
		*em = th_jv_strdup(res.body, "error_message");
	free(s);
	th_api_res_free(&res);
	return 0;
}

/*
 * Wait until the container is FINISHED. Returns 0, -1 when it turns out
 * PUBLISHED already, or an exit status: 1 (ERROR, EXPIRED, gone), 75
 * (--wait-timeout passed), or that of a failed read.
 */
static int
waitc(const struct job *j, const char *cid, const char *what)
{
	long long start = th_http_now(), deadline = start + waittimeout * 1000LL;
	long ms = th_cfg.backoff_ms;
	enum cstate st;
	char *em;
	int rc, tty = isatty(STDERR_FILENO), shown = 0;

	for (;;) {
		if ((rc = cstatus(j, cid, &st, &em)) != 0)
			return rc;
		if (st != C_IN_PROGRESS)
			break;
		if (th_http_now() + ms > deadline) {
			if (shown)
				fputc('\n', stderr);
			return fail(j, TH_ETEMP, "%s: container %s still IN_PROGRESS after "
			    "%ld s (--wait-timeout); run again with the same --key to "
			    "resume", what, cid, waittimeout);
		}
		if (tty) {
			fprintf(stderr, "\rth-post: waiting for Threads to process %s: "
			    "%lld s ", what, (th_http_now() - start) / 1000);
			shown = 1;
		}
		msleep(ms);
		ms = ms * 2 > 10000 ? 10000 : ms * 2;
	}
	if (shown)
		fputc('\n', stderr);
	switch (st) {
	case C_FINISHED:
		return 0;
	case C_PUBLISHED:
		return -1;
	case C_ERROR:
		rc = fail(j, TH_EFAIL, "%s: Threads refused it: %s (%s)", what,
		    errwords(em), em ? em : "ERROR");
		free(em);
		return rc;
	case C_EXPIRED:
		return fail(j, TH_EFAIL, "%s: container %s expired (not published "
		    "within 24 h)", what, cid);
	default:
		return fail(j, TH_EFAIL, "%s: container %s does not exist", what, cid);
	}
}

/* Create one container. params is consumed. A container whose answer is
 * lost is harmless (it is never published and expires), so creation is
 * tried again on an ambiguous failure. */
static int
create1(const struct job *j, jv params, char **cid, const char *what)
{
	struct th_api_res res;
	char buf[128];
	int attempt;

	*cid = NULL;
	for (attempt = 1;; attempt++) {
		if (th_api_call("POST", "me/threads", jv_copy(params), &res) == 0) {
			*cid = th_jv_idstr(res.body, "id");
			th_api_res_free(&res);
			if (*cid != NULL)
				break;
			if (attempt < 3)
				continue;
			jv_free(params);
			return fail(j, TH_EUNAVAIL, "%s: the answer has no container id",
			    what);
		}
		if (!th_api_lost(&res) || attempt >= 3) {
			jv_free(params);
			snprintf(buf, sizeof(buf), "cannot create %s", what);
			return apifail(j, &res, buf);
		}
		th_api_res_free(&res);
		msleep(th_cfg.backoff_ms * attempt);
	}
	jv_free(params);
	return 0;
}

static jv
setp(jv o, const char *k, const char *v)
{
	if (v == NULL)
		return o;
	return jv_object_set(o, jv_string(k), jv_string(v));
}

/* The container parameters of part k (not the carousel's children). */
static jv
partparams(const struct job *j, int k, const char *text, const char *target,
    const char *children)
{
	char opt[8][128], key[16], *s;
	jv o = jv_object(), poll;
	int i, n;

	if (text != NULL && text[0] != '\0')
		o = setp(o, "text", text);
	if (k > 0 || (j->nm == 0))
		o = setp(o, "media_type", "TEXT");
	else if (j->nm == 1) {
		o = setp(o, "media_type", j->m[0].video ? "VIDEO" : "IMAGE");
		o = setp(o, j->m[0].video ? "video_url" : "image_url", j->m[0].url);
		o = setp(o, "alt_text", j->m[0].alt);
	} else {
		o = setp(o, "media_type", "CAROUSEL");
		o = setp(o, "children", children);
	}
	if (k == 0) {
		if (j->nm > 0 && j->spoiler)
			o = setp(o, "is_spoiler_media", "true");
		o = setp(o, "link_attachment", j->link);
		o = setp(o, "quote_post_id", j->quote);
		o = setp(o, "topic_tag", j->tag);
		o = setp(o, "location_id", j->location);
		if (j->poll != NULL) {
			poll = jv_object();
			n = polloptions(j->poll, opt);
			for (i = 0; i < n && i < 4; i++) {
				snprintf(key, sizeof(key), "option_%c", 'a' + i);
				poll = jv_object_set(poll, jv_string(key), jv_string(opt[i]));
			}
			s = th_json_dump(poll);
			o = setp(o, "poll_attachment", s);
			free(s);
		}
		if (j->attach != NULL) {
			s = th_json_dump(jv_object_set(jv_object(), jv_string("plaintext"),
			    jv_string(j->attach)));
			o = setp(o, "text_attachment", s);
			free(s);
		}
	}
	o = setp(o, "reply_to_id", target);
	o = setp(o, "reply_control", j->rctl);
	o = setp(o, "allowlisted_country_codes", j->countries);
	return o;
}

static jv
childparams(const struct media *m)
{
	jv o = jv_object();

	o = setp(o, "media_type", m->video ? "VIDEO" : "IMAGE");
	o = setp(o, m->video ? "video_url" : "image_url", m->url);
	o = setp(o, "is_carousel_item", "true");
	return setp(o, "alt_text", m->alt);
}

/* Create part k's container (a carousel's children first, each FINISHED). */
static int
create(const struct job *j, int k, const char *text, const char *target,
    char **cid)
{
	char *ids = NULL, *c, *nids, what[64];
	int i, rc;

	*cid = NULL;
	if (k == 0 && j->nm >= 2) {
		for (i = 0; i < j->nm; i++) {
			snprintf(what, sizeof(what), "carousel item %d", i + 1);
			if ((rc = create1(j, childparams(&j->m[i]), &c, what)) != 0)
				goto out;
			if ((rc = waitc(j, c, what)) > 0) {
				free(c);
				goto out;
			}
			if (asprintf(&nids, "%s%s%s", ids ? ids : "", ids ? "," : "", c) == -1)
				th_die(TH_EIO, "out of memory");
			free(ids);
			free(c);
			ids = nids;
		}
	}
	snprintf(what, sizeof(what), "the container of part %d", k + 1);
	rc = create1(j, partparams(j, k, text, target, ids), cid,
	    j->thread ? what : "the container");
out:
	free(ids);
	return rc;
}

/*
 * Find our own post with this text (and reply target), newest first,
 * published since `since`. Returns 0 with *id, -1 when there is none, or
 * the exit status of a failed read.
 */
static int
findpost(const struct job *j, const char *text, const char *target,
    long long since, char **id)
{
	struct th_pager pg;
	struct th_api_res res;
	char sbuf[32];
	char *t, *r;
	jv item, rt;
	int rc, seen = 0, found = -1;

	*id = NULL;
	snprintf(sbuf, sizeof(sbuf), "%lld", since);
	th_pager_init(&pg, target ? "me/replies" : "me/threads",
	    jv_object_set(jv_object_set(jv_object_set(jv_object(),
	    jv_string("fields"), jv_string(target ? "id,text,timestamp,replied_to" :
	    "id,text,timestamp")), jv_string("since"), jv_string(sbuf)),
	    jv_string("limit"), jv_string("100")));
	while (found == -1 && seen < 2000 && (rc = th_pager_next(&pg, &item, &res)) == 1) {
		seen++;
		t = th_jv_strdup(item, "text");
		r = NULL;
		if (target != NULL) {
			rt = jv_object_get(jv_copy(item), jv_string("replied_to"));
			r = th_jv_idstr(rt, "id");
			jv_free(rt);
		}
		if (strcmp(t ? t : "", text) == 0 &&
		    (target == NULL || (r != NULL && strcmp(r, target) == 0))) {
			*id = th_jv_idstr(item, "id");
			found = *id != NULL ? 0 : -1;
		}
		free(t);
		free(r);
		jv_free(item);
	}
	th_pager_free(&pg);
	if (found == -1 && rc == -1)
		return apifail(j, &res, "cannot read your recent posts");
	return found;
}

/* After a lost answer the container says PUBLISHED: find the post. The
 * API may list it a moment later, so look a few times. */
static int
settle(const struct job *j, const char *cid, const char *text,
    const char *target, char **id)
{
	int i, rc = -1;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			msleep(th_cfg.backoff_ms << i);
		if ((rc = findpost(j, text, target, (long long)time(NULL) - window,
		    id)) != -1)
			break;
	}
	if (rc == -1)
		return fail(j, TH_EUNAVAIL, "container %s was published, but the post "
		    "is not among your recent posts yet: run again with the same "
		    "--key to settle it", cid);
	return rc;
}

/* publish(): the container stayed FINISHED but unpublishable (24/4279009)
 * for the whole budget; the caller may try a new container. */
#define PUB_STUCK	(-2)

/*
 * Publish a FINISHED container; never twice. After any answer that is not
 * a post id the container's status decides: PUBLISHED is success (the
 * API has published and answered 5xx code 10), FINISHED is another try
 * when the answer was lost, transient or 24/4279009 ("media not found",
 * common for many seconds after FINISHED), with backoff for pubtimeout
 * seconds; a refusal while it is still FINISHED is the error. Returns 0
 * with *id, PUB_STUCK, or an exit status.
 */
static int
publish(const struct job *j, const char *cid, const char *text,
    const char *target, char **id)
{
	struct th_api_res res;
	enum cstate st;
	long long start = th_http_now(), deadline = start + pubtimeout * 1000LL;
	long ms = th_cfg.backoff_ms;
	char *em, why[512];
	int attempt, rc, notready, again, tty = isatty(STDERR_FILENO), shown = 0;

	*id = NULL;
	for (attempt = 1;; attempt++) {
		rc = th_api_call("POST", "me/threads_publish", jv_object_set(jv_object(),
		    jv_string("creation_id"), jv_string(cid)), &res);
		if (rc == 0 && (*id = th_jv_idstr(res.body, "id")) != NULL) {
			th_api_res_free(&res);
			break;
		}
		notready = th_api_errcode(&res, "code") == 24 &&
		    th_api_errcode(&res, "error_subcode") == 4279009;
		again = rc == 0 || notready || th_api_lost(&res) ||
		    res.status == TH_EUNAVAIL ||
		    (th_api_errcode(&res, "code") == 100 &&
		    strstr(res.why, "already been published") != NULL);
		snprintf(why, sizeof(why), "%s", rc == 0 ? "no id in the answer" :
		    res.why);
		if (th_opts.verbose)
			th_msg(0, "publish of %s: %s: asking the container", cid, why);
		/* what happened is the container's to say, whatever the answer */
		if ((rc = cstatus(j, cid, &st, &em)) != 0) {
			th_api_res_free(&res);
			rc = fail(j, rc, "publishing container %s was answered '%s' and "
			    "its status cannot be read: run again with the same --key "
			    "to settle it", cid, why);
			break;
		}
		free(em);
		if (st == C_PUBLISHED) {
			th_api_res_free(&res);
			rc = settle(j, cid, text, target, id);
			break;
		}
		if (st == C_IN_PROGRESS) {
			th_api_res_free(&res);
			if ((rc = waitc(j, cid, "the post")) == -1) {
				rc = settle(j, cid, text, target, id);
				break;
			}
			if (rc != 0)
				break;
			continue;
		}
		if (st != C_FINISHED) {
			th_api_res_free(&res);
			rc = waitc(j, cid, "the post");	/* reports it */
			break;
		}
		if (!again) {		/* refused, and nothing was published */
			rc = apifail(j, &res, "cannot publish");
			break;
		}
		th_api_res_free(&res);
		if (th_http_now() + ms > deadline) {
			rc = notready ? PUB_STUCK : fail(j, TH_EUNAVAIL,
			    "container %s: publishing failed %d times in %lld s: %s",
			    cid, attempt, (th_http_now() - start) / 1000, why);
			break;
		}
		if (tty && notready) {
			fprintf(stderr, "\rth-post: Threads is not ready to publish "
			    "container %s yet (24/4279009): %lld s ", cid,
			    (th_http_now() - start) / 1000);
			shown = 1;
		}
		msleep(ms);
		ms = ms * 2 > 10000 ? 10000 : ms * 2;
	}
	if (shown)
		fputc('\n', stderr);
	return *id != NULL ? 0 : rc;
}

static int
ledger(const struct job *j, int k, const char *event, const char *cid,
    const char *id)
{
	jv r = jv_object();

	r = setp(r, "event", event);
	if (uid[0] != '\0')
		r = setp(r, "uid", uid);
	r = setp(r, "key", j->key);
	r = jv_object_set(r, jv_string("part"), jv_number(k));
	r = setp(r, "container", cid);
	r = setp(r, "id", id);
	return th_ledger_append(r);
}

/*
 * Read post id back as the API has it: 0 with *o (owned); 1 when it
 * does not exist any more (deleted, here or in the app); or the status of
 * a failed read, with *o just {id} after a warning.
 */
static int
readback(const char *id, jv *o)
{
	struct th_api_res res;
	int rc;

	rc = th_api_call("GET", id, jv_object_set(jv_object(), jv_string("fields"),
	    jv_string("id,media_product_type,media_type,media_url,permalink,"
	    "username,text,timestamp,shortcode,is_quote_post,quoted_post,"
	    "topic_tag,is_reply,replied_to,root_post,link_attachment_url,"
	    "poll_attachment,alt_text,children")), &res);
	if (rc == 0 && jv_get_kind(res.body) == JV_KIND_OBJECT)
		*o = jv_copy(res.body);
	else if (rc == TH_EFAIL && th_api_errcode(&res, "code") == 100)
		rc = 1;
	else {
		th_msg(0, "post %s is published, but reading it back failed: %s",
		    id, res.why);
		rc = rc != 0 ? rc : TH_EUNAVAIL;
	}
	if (rc != 0)
		*o = jv_object_set(jv_object(), jv_string("id"), jv_string(id));
	th_api_res_free(&res);
	return rc;
}

/* Print post id as read back; th adds "duplicate" (and "deleted"). */
static int
emit(const char *id, int dup)
{
	jv o;

	readback(id, &o);
	if (dup)
		o = jv_object_set(o, jv_string("duplicate"), jv_true());
	return th_out_emit(o);
}

/*
 * Container *cid is FINISHED but has answered 24/4279009 for the whole
 * budget; some never recover and only a new container works. Unless the
 * post turns out to exist after all, make one more (recorded in the
 * ledger, so that a resumed run takes it) and publish that. Returns 0
 * with *id (and *cid the container published), or an exit status: 75 when
 * the new one is stuck too.
 */
static int
renew(const struct job *j, int k, const char *text, const char *target,
    char **cid, char **id)
{
	char *old = *cid, what[64];
	int rc;

	if (text[0] != '\0' &&
	    (rc = findpost(j, text, target, runstart - 60, id)) != -1)
		return rc;	/* 0: it was published after all */
	if (j->line > 0)
		th_msg(0, "line %ld: container %s is FINISHED but Threads still "
		    "answers 'media not found' (24/4279009) after %ld s: making a "
		    "new one", j->line, old, pubtimeout);
	else
		th_msg(0, "container %s is FINISHED but Threads still answers "
		    "'media not found' (24/4279009) after %ld s: making a new one",
		    old, pubtimeout);
	if ((rc = create(j, k, text, target, cid)) != 0) {
		*cid = old;
		return rc;
	}
	snprintf(what, sizeof(what), j->thread ? "part %d" : "the post", k + 1);
	if ((rc = ledger(j, k, "container", *cid, NULL)) == 0 &&
	    (rc = waitc(j, *cid, what)) == -1)
		rc = settle(j, *cid, text, target, id);
	else if (rc == 0)
		rc = publish(j, *cid, text, target, id);
	if (rc == PUB_STUCK)
		rc = fail(j, TH_ETEMP, "Threads answered 'media not found' "
		    "(24/4279009) for %ld s to each of two FINISHED containers (%s, "
		    "%s); nothing was posted: run again later with the same --key",
		    pubtimeout, old, *cid);
	free(old);
	return rc;
}

/*
 * One part: resume the container the ledger knows, or create one; wait;
 * publish; record. With recheck (a key this machine's ledger does not
 * know), the account's posts are looked at once more just before the
 * publish, after a random pause: a parallel runner of the same job that
 * published meanwhile is found, and *dup set.
 */
static int
onepart(const struct job *j, int k, const char *text, const char *target,
    const char *resume, int recheck, char **id, int *dup)
{
	enum cstate st;
	char *cid = NULL, what[64];
	int rc;

	*id = NULL;
	*dup = 0;
	snprintf(what, sizeof(what), j->thread ? "part %d" : "the post", k + 1);
	if (resume != NULL) {
		if ((rc = cstatus(j, resume, &st, NULL)) != 0)
			return rc;
		if (st == C_PUBLISHED) {
			if ((rc = settle(j, resume, text, target, id)) == 0)
				rc = ledger(j, k, "published", resume, *id);
			return rc;
		}
		if (st == C_FINISHED || st == C_IN_PROGRESS)
			cid = th_strdup(resume);
	}
	if (cid == NULL) {
		if ((rc = create(j, k, text, target, &cid)) != 0)
			return rc;
		/* on disk before the publish request leaves */
		if ((rc = ledger(j, k, "container", cid, NULL)) != 0)
			goto out;
	}
	if ((rc = waitc(j, cid, what)) == -1)
		rc = settle(j, cid, text, target, id);
	else if (rc == 0 && recheck) {
		msleep(arc4random_uniform(2000));
		if ((rc = findpost(j, text, target, (long long)time(NULL) - window,
		    id)) == 0) {
			*dup = 1;	/* the container is never published */
			rc = ledger(j, k, "published", NULL, *id);
			goto out;
		}
		if (rc == -1)
			rc = publish(j, cid, text, target, id);
	} else if (rc == 0)
		rc = publish(j, cid, text, target, id);
	if (rc == PUB_STUCK)
		rc = renew(j, k, text, target, &cid, id);
	if (rc == 0)
		rc = ledger(j, k, "published", cid, *id);
out:
	free(cid);
	return rc;
}

static long
numat(jv o, const char *k1, const char *k2)
{
	jv v = jv_object_get(jv_copy(o), jv_string(k1));
	long n = -1;

	if (k2 != NULL)
		v = jv_object_get(v, jv_string(k2));
	if (jv_get_kind(v) == JV_KIND_NUMBER)
		n = (long)th_jv_num(v);
	jv_free(v);
	return n;
}

/* Is there room for posts top-level posts and replies replies? 0 or 75.
 * The reply fields need threads_manage_replies, so they are asked only
 * for replies; a quota that cannot be read, for whatever reason, is a
 * warning and left to the publish to enforce. */
static int
quota(const struct job *j, int posts, int replies)
{
	static const struct { const char *usage, *config, *edge, *what; } q[] = {
		{ "quota_usage", "config", "me/threads", "posts" },
		{ "reply_quota_usage", "reply_config", "me/replies", "replies" },
	};
	struct th_api_res res;
	char when[64];
	long used, total;
	long long t;
	int i, need;
	jv d;

	if (th_api_limits(replies > 0 ?
	    "quota_usage,config,reply_quota_usage,reply_config" :
	    "quota_usage,config", &d, &res) != 0) {
		th_msg(0, "warning: cannot check the publishing quota: %s", res.why);
		th_api_res_free(&res);
		return 0;
	}
	for (i = 0; i < 2; i++) {
		need = i == 0 ? posts : replies;
		th_api_quota(d, q[i].usage, q[i].config, &used, &total);
		if (need == 0 || used < 0 || total < 0 || used + need <= total)
			continue;
		jv_free(d);
		if ((t = th_api_freeat(q[i].edge, used)) > 0)
			strftime(when, sizeof(when), "it frees up at %Y-%m-%d %H:%M UTC",
			    gmtime(&(time_t){ (time_t)t }));
		else
			snprintf(when, sizeof(when), "it frees up within 24 h");
		return fail(j, TH_ETEMP, "publishing quota spent: %ld of %ld %s in "
		    "24 h used, %d needed; %s", used, total, q[i].what, need, when);
	}
	jv_free(d);
	return 0;
}

/* The environment the uploader gets: th's own minus its secrets (a
 * token, the app secret, where a token file is). malloc'd array of
 * borrowed strings. */
static char **
uploadenv(void)
{
	static const char *const secret[] = { "TH_ACCESS_TOKEN=",
	    "TH_CLIENT_SECRET=", "TH_TOKEN_FILE=", "SANDBOX_TOKEN=", NULL };
	extern char **environ;
	const char *const *sp;
	char **env, **e;
	size_t n = 0;

	for (e = environ; *e != NULL; e++)
		n++;
	if ((env = calloc(n + 1, sizeof(*env))) == NULL)
		th_die(TH_EIO, "out of memory");
	for (n = 0, e = environ; *e != NULL; e++) {
		for (sp = secret; *sp != NULL; sp++)
			if (strncmp(*e, *sp, strlen(*sp)) == 0)
				break;
		if (*sp == NULL)
			env[n++] = *e;
	}
	return env;
}

/*
 * Run the uploader on a local file; *url is the public URL it printed.
 * It is contained: stdin is /dev/null (a --batch goes on reading its
 * records), no secret is in its environment, no descriptor of th's is
 * open in it, and it has the deadline of a request, after which it and
 * its children are killed.
 */
static int
upload(const struct job *j, const char *path, char **url)
{
	char *cmd, buf[4096], junk[512], **env;
	char *argv[] = { "sh", "-c", NULL, "th-upload", NULL, NULL };
	long long deadline = th_http_now() + th_cfg.timeout * 1000LL, left;
	struct pollfd pfd;
	size_t len = 0;
	ssize_t n;
	int p[2], null, status, killed = 0;
	pid_t pid;

	*url = NULL;
	if (asprintf(&cmd, "%s \"$1\"", th_cfg.upload_cmd) == -1)
		th_die(TH_EIO, "out of memory");
	argv[2] = cmd;
	argv[4] = (char *)path;
	env = uploadenv();
	fflush(NULL);
	p[0] = p[1] = -1;
	if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1 ||
	    pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1) {
		int e = errno;
		if (null != -1)
			close(null);
		if (p[0] != -1) {
			close(p[0]);
			close(p[1]);
		}
		free(cmd);
		free(env);
		return fail(j, TH_EIO, "cannot run the uploader: %s", strerror(e));
	}
	if (pid == 0) {
		/* only async-signal-safe calls from here on */
		setpgid(0, 0);
		if (dup2(null, STDIN_FILENO) == -1 ||
		    dup2(p[1], STDOUT_FILENO) == -1)
			_exit(127);
		if (close_range(3, ~0U, 0) == -1)
			for (int fd = 3; fd < 4096; fd++)
				close(fd);
		execve("/bin/sh", argv, env);
		_exit(127);
	}
	setpgid(pid, pid);	/* both sides: no race with the kill below */
	free(cmd);
	free(env);
	close(null);
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		if ((left = deadline - th_http_now()) <= 0) {
			kill(-pid, SIGKILL);
			killed = 1;
			break;
		}
		if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) <= 0)
			continue;
		if (len < sizeof(buf) - 1)
			n = read(p[0], buf + len, sizeof(buf) - 1 - len);
		else
			n = read(p[0], junk, sizeof(junk));	/* drain */
		if (n == 0 || (n == -1 && errno != EINTR && errno != EAGAIN))
			break;
		if (n > 0 && len < sizeof(buf) - 1)
			len += (size_t)n;
	}
	close(p[0]);
	buf[len] = '\0';
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (killed)
		return fail(j, TH_EUNAVAIL, "uploading %s: the uploader did not "
		    "finish within %ld s (the request timeout): killed", path,
		    th_cfg.timeout);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return fail(j, TH_EFAIL, "uploading %s: the uploader failed (%s %d)",
		    path, WIFEXITED(status) ? "exit" : "signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!isurl(buf) || strpbrk(buf, " \t") != NULL)
		return fail(j, TH_EFAIL, "uploading %s: the uploader printed no URL", path);
	*url = th_strdup(buf);
	return 0;
}

/* Print the requests a run would send: redacted (there is no secret in
 * them: the token travels in a header). */
static int
dry(const struct job *j, const struct parts *p, char **pub)
{
	char ph[64], prev[64];
	const char *target = j->reply_to;
	int i, k, rc;
	jv o, prm;

	for (k = 0; k < p->n; k++) {
		if (pub != NULL && pub[k] != NULL) {
			o = jv_object_set(jv_object(), jv_string("dry_run"), jv_true());
			o = setp(o, "id", pub[k]);
			o = jv_object_set(o, jv_string("duplicate"), jv_true());
			if ((rc = th_out_emit(o)) != 0)
				return rc;
			snprintf(prev, sizeof(prev), "%s", pub[k]);
			target = prev;
			continue;
		}
		if (k == 0 && j->nm >= 2)
			for (i = 0; i < j->nm; i++) {
				prm = childparams(&j->m[i]);
				o = jv_object_set(jv_object(), jv_string("dry_run"), jv_true());
				o = setp(o, "method", "POST");
				o = setp(o, "path", "/v1.0/me/threads");
				o = jv_object_set(o, jv_string("params"), prm);
				if ((rc = th_out_emit(o)) != 0)
					return rc;
			}
		prm = partparams(j, k, p->text[k], target, j->nm >= 2 && k == 0 ?
		    "<carousel items>" : NULL);
		o = jv_object_set(jv_object(), jv_string("dry_run"), jv_true());
		o = setp(o, "method", "POST");
		o = setp(o, "path", "/v1.0/me/threads");
		o = jv_object_set(o, jv_string("params"), prm);
		if ((rc = th_out_emit(o)) != 0)
			return rc;
		snprintf(ph, sizeof(ph), "<container of part %d>", k + 1);
		o = jv_object_set(jv_object(), jv_string("dry_run"), jv_true());
		o = setp(o, "method", "POST");
		o = setp(o, "path", "/v1.0/me/threads_publish");
		o = jv_object_set(o, jv_string("params"), setp(jv_object(),
		    "creation_id", ph));
		if ((rc = th_out_emit(o)) != 0)
			return rc;
		snprintf(prev, sizeof(prev), "<post of part %d>", k + 1);
		target = prev;
	}
	return 0;
}

/* Our user id, for the ledger: from the account file, else from /me. */
static int
whoami(const struct job *j)
{
	int rc;

	if (uid[0] == '\0' && (rc = th_api_uid(uid, sizeof(uid))) != 0) {
		snprintf(lastwhy, sizeof(lastwhy), "cannot tell who you are");
		(void)j;
		return rc;
	}
	return 0;
}

static int
runjob(struct job *j)
{
	struct parts p;
	char **pub = NULL, **cont = NULL, *id, *url;
	const char *target;
	int rc, k, i, lockfd = -1, known = 0, search, posts, replies, recheck;
	jv recs, *have = NULL;

	if (runstart == 0)
		runstart = time(NULL);
	if ((rc = validate(j)) != 0)
		return rc;
	if ((rc = mkparts(j, &p)) != 0) {
		parts_free(&p);
		return rc;
	}
	if ((pub = calloc((size_t)p.n, sizeof(char *))) == NULL ||
	    (cont = calloc((size_t)p.n, sizeof(char *))) == NULL ||
	    (have = calloc((size_t)p.n, sizeof(jv))) == NULL)
		th_die(TH_EIO, "out of memory");
	for (k = 0; k < p.n; k++)
		have[k] = jv_null();

	/* the ledger records whose posts they are (th-delete --last reads
	 * them back), so the user id is needed before anything is written */
	if ((j->key != NULL || !dryrun) && (rc = whoami(j)) != 0)
		goto out;
	/* what the ledger knows of this key */
	if (j->key != NULL) {
		if (!dryrun && (lockfd = th_ledger_keylock(uid, j->key)) == -1) {
			rc = TH_EIO;
			goto out;
		}
		recs = th_ledger_find(uid, j->key);
		known = jv_array_length(jv_copy(recs)) > 0;
		jv_array_foreach(recs, ri, r) {
			char *ev = th_jv_strdup(r, "event");
			long part = numat(r, "part", NULL);
			if (ev != NULL && part >= 0 && part < p.n) {
				if (strcmp(ev, "published") == 0) {
					/* the last: a deleted post published
					 * again has two */
					free(pub[part]);
					pub[part] = th_jv_idstr(r, "id");
				} else if (strcmp(ev, "container") == 0) {
					free(cont[part]);
					cont[part] = th_jv_idstr(r, "container");
				}
			}
			free(ev);
			jv_free(r);
		}
		jv_free(recs);
	}
	/* what the key published, as it is now: a post deleted since (by
	 * th-delete or in the app) is said so, and published again only
	 * with --republish */
	for (k = 0; k < p.n; k++) {
		if (pub[k] == NULL || readback(pub[k], &have[k]) != 1)
			continue;
		if (republish) {
			th_msg(0, "key %s: post %s was deleted: publishing it again "
			    "(--republish)", j->key, pub[k]);
			free(pub[k]);
			free(cont[k]);
			pub[k] = cont[k] = NULL;
			continue;
		}
		th_msg(0, "key %s: post %s was deleted; nothing is sent "
		    "(--republish publishes it again)", j->key, pub[k]);
		have[k] = jv_object_set(have[k], jv_string("deleted"), jv_true());
	}
	for (k = 0; k < p.n && pub[k] != NULL; k++)
		;
	if (k == p.n) {		/* all of it is out there already */
		if (dryrun)
			rc = dry(j, &p, pub);
		for (k = 0; k < p.n && rc == 0 && !dryrun; k++)
			rc = th_out_emit(jv_object_set(jv_copy(have[k]),
			    jv_string("duplicate"), jv_true()));
		goto out;
	}

	posts = replies = 0;
	for (k = 0; k < p.n; k++)
		if (pub[k] == NULL) {
			if (k == 0 && j->reply_to == NULL)
				posts++;
			else
				replies++;
		}
	if ((rc = quota(j, posts, replies)) != 0)
		goto out;
	if (dryrun) {
		rc = dry(j, &p, pub);
		goto out;
	}
	if (pub[0] == NULL)
		for (i = 0; i < j->nm; i++)
			if (!isurl(j->m[i].url)) {
				if ((rc = upload(j, j->m[i].url, &url)) != 0)
					goto out;
				free(j->m[i].url);
				j->m[i].url = url;
			}

	/* a machine without the ledger (a fresh CI runner) looks at the
	 * account's recent posts; the first part not found ends the search */
	search = j->key != NULL && !known;
	target = j->reply_to;
	for (k = 0; k < p.n; k++) {
		int dup = 0;
		id = NULL;
		recheck = 0;
		if (pub[k] != NULL) {
			rc = th_out_emit(jv_object_set(jv_copy(have[k]),
			    jv_string("duplicate"), jv_true()));
			target = pub[k];	/* the next part replies to it */
			if (rc != 0)
				goto out;
			continue;
		} else if (search && p.text[k][0] != '\0') {
			rc = findpost(j, p.text[k], target, (long long)time(NULL) - window,
			    &id);
			if (rc > 0)
				goto out;
			if (rc == 0) {
				dup = 1;
				if ((rc = ledger(j, k, "published", NULL, id)) != 0) {
					free(id);
					goto out;
				}
			} else
				search = 0;
			rc = 0;
			recheck = id == NULL;	/* once more before publishing */
		}
		if (id == NULL && (rc = onepart(j, k, p.text[k], target, cont[k],
		    recheck, &id, &dup)) != 0) {
			free(id);
			goto out;
		}
		rc = emit(id, dup);
		free(pub[k]);
		pub[k] = id;	/* the next part replies to it */
		target = id;
		if (rc != 0)
			goto out;
	}
out:
	if (lockfd != -1)
		th_store_unlock(lockfd);
	for (k = 0; k < p.n; k++) {
		free(pub[k]);
		free(cont[k]);
		jv_free(have[k]);
	}
	free(pub);
	free(cont);
	free(have);
	parts_free(&p);
	return rc;
}

/* ---- --batch ----------------------------------------------------------- */

static int
recstr(const struct job *j, jv rec, const char *key, char **dst)
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
			return fail(j, TH_EDATA, "field %s: not a string", key);
		free(*dst);
		*dst = s;
		return 0;
	default:
		jv_free(v);
		return fail(j, TH_EDATA, "field %s: not a string", key);
	}
}

static int
recbool(const struct job *j, jv rec, const char *key, int *dst)
{
	jv v = jv_object_get(jv_copy(rec), jv_string(key));
	jv_kind k = jv_get_kind(v);

	jv_free(v);
	if (k == JV_KIND_TRUE || k == JV_KIND_FALSE)
		*dst = k == JV_KIND_TRUE;
	else if (k != JV_KIND_NULL && k != JV_KIND_INVALID)
		return fail(j, TH_EDATA, "field %s: not true or false", key);
	return 0;
}

/* field (a string or an array of strings) joined with sep into *dst */
static int
recjoin(const struct job *j, jv rec, const char *key, const char *sep, char **dst)
{
	jv v = jv_object_get(jv_copy(rec), jv_string(key));
	char *s = NULL, *ns;
	int rc = 0;

	if (jv_get_kind(v) != JV_KIND_ARRAY) {
		jv_free(v);
		return recstr(j, rec, key, dst);
	}
	jv_array_foreach(v, ai, e) {
		if (rc == 0 && jv_get_kind(e) != JV_KIND_STRING)
			rc = fail(j, TH_EDATA, "field %s: not a list of strings", key);
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
recmedia(struct job *j, jv rec)
{
	static const struct { const char *key; int video, list; } f[] = {
		{ "image_url", 0, 0 }, { "image_urls", 0, 1 },
		{ "video_url", 1, 0 }, { "video_urls", 1, 1 },
	};
	struct job tmp;
	size_t i;
	int n, rc, replaced = 0;
	jv v;

	memset(&tmp, 0, sizeof(tmp));
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		int bad = 0;
		v = jv_object_get(jv_copy(rec), jv_string(f[i].key));
		if (jv_get_kind(v) == JV_KIND_NULL || !jv_is_valid(v)) {
			jv_free(v);
			continue;
		}
		replaced = 1;
		if (!f[i].list && jv_get_kind(v) == JV_KIND_STRING)
			addmedia(&tmp, jv_string_value(v), f[i].video);
		else if (f[i].list && jv_get_kind(v) == JV_KIND_ARRAY) {
			jv_array_foreach(v, ai, e) {
				if (jv_get_kind(e) == JV_KIND_STRING)
					addmedia(&tmp, jv_string_value(e), f[i].video);
				else
					bad = 1;
				jv_free(e);
			}
		} else
			bad = 1;
		jv_free(v);
		if (bad) {
			job_free(&tmp);
			return fail(j, TH_EDATA, "field %s: not a URL%s", f[i].key,
			    f[i].list ? " list" : "");
		}
	}
	if (!replaced)
		return 0;
	for (n = 0; n < j->nm && n < MAXMEDIA; n++) {
		free(j->m[n].url);
		free(j->m[n].alt);
		j->m[n].url = j->m[n].alt = NULL;
	}
	memcpy(j->m, tmp.m, sizeof(j->m));
	j->nm = tmp.nm;
	rc = 0;
	if (j->nm > 0 && j->nm <= MAXMEDIA) {
		if ((rc = recstr(j, rec, "alt_text", &j->m[0].alt)) == 0)
			rc = recstr(j, rec, "alt", &j->m[0].alt);
	}
	return rc;
}

static int
recjob(struct job *j, jv rec)
{
	int rc;

	if ((rc = recstr(j, rec, "text", &j->text)) != 0 ||
	    (rc = recmedia(j, rec)) != 0 ||
	    (rc = recstr(j, rec, "reply_to", &j->reply_to)) != 0 ||
	    (rc = recstr(j, rec, "reply_to_id", &j->reply_to)) != 0 ||
	    (rc = recstr(j, rec, "quote", &j->quote)) != 0 ||
	    (rc = recstr(j, rec, "quote_post_id", &j->quote)) != 0 ||
	    (rc = recstr(j, rec, "tag", &j->tag)) != 0 ||
	    (rc = recstr(j, rec, "topic_tag", &j->tag)) != 0 ||
	    (rc = recstr(j, rec, "link", &j->link)) != 0 ||
	    (rc = recstr(j, rec, "key", &j->key)) != 0 ||
	    (rc = recjoin(j, rec, "poll", "|", &j->poll)) != 0 ||
	    (rc = recstr(j, rec, "reply_control", &j->rctl)) != 0 ||
	    (rc = recstr(j, rec, "location", &j->location)) != 0 ||
	    (rc = recjoin(j, rec, "countries", ",", &j->countries)) != 0 ||
	    (rc = recstr(j, rec, "attachment", &j->attach)) != 0 ||
	    (rc = recbool(j, rec, "spoiler", &j->spoiler)) != 0 ||
	    (rc = recbool(j, rec, "thread", &j->thread)) != 0 ||
	    (rc = recbool(j, rec, "number", &j->number)) != 0)
		return rc;
	if (j->text != NULL)
		rtrim(j->text);
	return 0;
}

static int
batch(const struct job *base)
{
	struct th_ndjson r;
	struct job j;
	int rc, st, worst = 0, any = 0;
	jv rec, o;

	th_ndjson_open(&r, stdin, "stdin");
	while ((rc = th_ndjson_next(&r, &rec)) != 0) {
		job_copy(&j, base);
		j.line = r.lineno;
		lastwhy[0] = '\0';
		if (rc == TH_EDATA) {
			st = TH_EDATA;
			snprintf(lastwhy, sizeof(lastwhy), "%s", r.why);
		} else {
			st = recjob(&j, rec);
			jv_free(rec);
			if (st == 0)
				st = runjob(&j);
		}
		job_free(&j);
		if (st == 0)
			continue;
		any = 1;
		o = jv_object_set(jv_object(), jv_string("line"), jv_number(r.lineno));
		o = jv_object_set(o, jv_string("error"), jv_string(lastwhy));
		o = jv_object_set(o, jv_string("status"), jv_number(st));
		if ((rc = th_out_emit(o)) == TH_EIO)
			st = TH_EIO;
		if (st == TH_ETEMP || st == TH_EAUTH || st == TH_EIO || st == TH_ECONFIG) {
			worst = st;	/* no point going on */
			break;
		}
	}
	th_ndjson_close(&r);
	if (worst != 0)
		return worst;
	return any ? TH_EFAIL : 0;
}

/* ---- main --------------------------------------------------------------- */

/* "7", "7d", "36h", "90m", "30s": seconds, or -1. */
static long
duration(const char *s, long unit)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || n < 0 || n > 400L * 86400)
		return -1;
	switch (*end) {
	case '\0':
		return n * unit;
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
	default:
		return -1;
	}
	return end[1] == '\0' ? n * unit : -1;
}

int
main(int argc, char **argv)
{
	struct job j;
	const char *file = NULL;
	int c, i, rc, batchmode = 0;
	size_t len;
	FILE *f;

	memset(&j, 0, sizeof(j));
	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "F:nr:k:i:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'F':
			file = optarg;
			break;
		case 'n':
			dryrun = 1;
			break;
		case 'r':
			th_setstr(&j.reply_to, optarg);
			break;
		case 'k':
			th_setstr(&j.key, optarg);
			break;
		case 'i':
			addmedia(&j, optarg, 0);
			break;
		case OPT_VIDEO:
			addmedia(&j, optarg, 1);
			break;
		case OPT_ALT:
			if (j.nm == 0)
				th_die(TH_EUSAGE, "--alt describes the --image or --video "
				    "before it");
			if (j.nm <= MAXMEDIA)
				th_setstr(&j.m[j.nm - 1].alt, optarg);
			break;
		case OPT_QUOTE:
			th_setstr(&j.quote, optarg);
			break;
		case OPT_POLL:
			th_setstr(&j.poll, optarg);
			break;
		case OPT_TAG:
			th_setstr(&j.tag, optarg);
			break;
		case OPT_LINK:
			th_setstr(&j.link, optarg);
			break;
		case OPT_REPLY_CONTROL:
			th_setstr(&j.rctl, optarg);
			break;
		case OPT_SPOILER:
			j.spoiler = 1;
			break;
		case OPT_LOCATION:
			th_setstr(&j.location, optarg);
			break;
		case OPT_COUNTRIES:
			th_setstr(&j.countries, optarg);
			break;
		case OPT_THREAD:
			j.thread = 1;
			break;
		case OPT_NUMBER:
			j.number = 1;
			break;
		case OPT_BATCH:
			batchmode = 1;
			break;
		case OPT_WAIT_TIMEOUT:
			if ((waittimeout = pubtimeout = duration(optarg, 1)) <= 0)
				th_die(TH_EUSAGE, "--wait-timeout '%s': seconds, or "
				    "N[smh]", optarg);
			break;
		case OPT_WINDOW:
			if ((window = duration(optarg, 86400)) <= 0)
				th_die(TH_EUSAGE, "--window '%s': days, or N[smhd]", optarg);
			break;
		case OPT_REPUBLISH:
			republish = 1;
			break;
		case OPT_ATTACHMENT:
			if ((f = strcmp(optarg, "-") == 0 ? stdin : fopen(optarg, "r")) == NULL)
				th_die(TH_EDATA, "%s: %s", optarg, strerror(errno));
			free(j.attach);
			if ((j.attach = slurp(f, optarg)) == NULL)
				th_exit(TH_EDATA);
			if (f != stdin)
				fclose(f);
			rtrim(j.attach);
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	th_cli_ready();

	if (batchmode) {
		if (argc > 0 || file != NULL)
			th_die(TH_EUSAGE, "--batch reads its records from standard input");
		rc = batch(&j);
		job_free(&j);
		th_exit(rc);
	}
	if (file != NULL && argc > 0)
		th_die(TH_EUSAGE, "text from -F or from operands, not both");
	if (file != NULL || (argc == 1 && strcmp(argv[0], "-") == 0) ||
	    (argc == 0 && !isatty(STDIN_FILENO))) {
		if (file == NULL || strcmp(file, "-") == 0)
			f = stdin, file = "stdin";
		else if ((f = fopen(file, "r")) == NULL)
			th_die(TH_EDATA, "%s: %s", file, strerror(errno));
		if ((j.text = slurp(f, file)) == NULL)
			th_exit(TH_EDATA);
		if (f != stdin)
			fclose(f);
	} else if (argc > 0) {
		for (i = 0, len = 0; i < argc; i++)
			len += strlen(argv[i]) + 1;
		if ((j.text = calloc(1, len)) == NULL)
			th_die(TH_EIO, "out of memory");
		for (i = 0; i < argc; i++) {
			if (i > 0)
				strlcat(j.text, " ", len);
			strlcat(j.text, argv[i], len);
		}
	}
	if (j.text == NULL && j.nm == 0 && j.link == NULL && j.attach == NULL)
		usage(TH_EUSAGE);	/* nothing at all: th-post alone at a terminal */
	if (j.text != NULL)
		rtrim(j.text);
	rc = runjob(&j);
	job_free(&j);
	th_exit(rc);
}
