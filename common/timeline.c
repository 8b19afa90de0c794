/*
 * timeline: read sources through a feed and print them.
 *
 * Plain runs stream newest first, one page per source in memory.
 * --reverse, --new and follow mode print oldest first, so they hold the
 * posts of one run before printing them. --new keeps a cursor per source
 * (the newest second it printed, and the ids printed at that second), so
 * a source that failed keeps its place and the next run picks it up; the
 * cursors are saved atomically only after everything printed reached
 * stdout, so a run that fails or is killed never skips a post.
 */
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "config.h"
#include "feed.h"
#include "json.h"
#include "list.h"
#include "out.h"
#include "src-fedi.h"
#include "src-threads.h"
#include "store.h"
#include "timeline.h"

#define QUOTA_DISCOVERY	1000	/* profile discovery requests / 24 h */
#define QUOTA_SEARCH	2200	/* keyword searches / 24 h */
#define FIRST_WINDOW	86400	/* a source seen for the first time */
#define LOCK_WAIT	5000	/* ms an overlapping --new run waits, then 75 */

static volatile sig_atomic_t stop;
static int readergone;

static void
onsignal(int sig)
{
	(void)sig;
	stop = 1;
}

void
th_tl_add(struct th_tl *t, const char *label, const char *path, jv params,
    int ordered, int kind)
{
	struct th_tl_src *ns;
	int i;

	for (i = 0; i < t->nsrc; i++)
		if (strcmp(t->src[i].label, label) == 0) {
			jv_free(params);
			return;
		}
	if ((ns = reallocarray(t->src, (size_t)t->nsrc + 1, sizeof(*ns))) == NULL)
		th_die(TH_EIO, "out of memory");
	t->src = ns;
	ns = &t->src[t->nsrc++];
	if ((ns->label = strdup(label)) == NULL || (ns->path = strdup(path)) == NULL)
		th_die(TH_EIO, "out of memory");
	ns->params = params;
	ns->ordered = ordered;
	ns->kind = kind;
}

void
th_tl_free(struct th_tl *t)
{
	int i;

	for (i = 0; i < t->nsrc; i++) {
		free(t->src[i].label);
		free(t->src[i].path);
		jv_free(t->src[i].params);
	}
	free(t->src);
	t->src = NULL;
	t->nsrc = 0;
}

int
th_tl_statepath(const char *name, char *buf, size_t size)
{
	if (!th_list_valid_name(name))
		return th_msg(TH_EUSAGE, "--new '%s': a name has 1 to 64 of A-Z a-z "
		    "0-9 . _ - and does not start with a dot", name);
	if ((size_t)snprintf(buf, size, "%s/timeline/%s", th_cfg.state_dir, name) >=
	    size)
		return th_msg(TH_EUSAGE, "state path too long");
	return 0;
}

int
th_tl_option(struct th_tl *t, int c, const char *arg, const char **newname,
    const char **statefile)
{
	const char *errstr;

	switch (c) {
	case 'n':
		t->limit = (long)strtonum(arg, 1, 1000000000, &errstr);
		if (errstr != NULL)
			th_die(TH_EUSAGE, "-n '%s': %s (1..1000000000)", arg, errstr);
		return 1;
	case TH_OPT_TL_SINCE:
		t->since = th_tl_when(arg, "--since");
		return 1;
	case TH_OPT_TL_UNTIL:
		t->until = th_tl_when(arg, "--until");
		return 1;
	case TH_OPT_TL_FIELDS:
		t->fields = arg;
		return 1;
	case TH_OPT_TL_REVERSE:
		t->reverse = 1;
		return 1;
	case TH_OPT_TL_NEW:
		*newname = arg;
		return 1;
	case TH_OPT_TL_STATE:
		*statefile = arg;
		return 1;
	}
	return 0;
}

long long
th_tl_when(const char *s, const char *opt)
{
	long long t = th_time_arg(s, (long long)time(NULL));

	if (t < 0)
		th_die(TH_EUSAGE, "%s '%s': a date (2026-11-01), a time "
		    "(2026-11-01T09:00:00Z), epoch seconds, or an age (90m, 2h, 3d, 1w)",
		    opt, s);
	return t;
}

void
th_tl_check(struct th_tl *t, const char *newname, const char *statefile,
    char *buf, size_t size)
{
	int rc;

	if (newname != NULL && statefile != NULL)
		th_die(TH_EUSAGE, "--new or --state, not both");
	if (t->since > 0 && t->until > 0 && t->since >= t->until)
		th_die(TH_EUSAGE, "--since must be before --until");
	if (newname != NULL) {
		if ((rc = th_tl_statepath(newname, buf, size)) != 0)
			th_exit(rc);
		t->state = buf;
	} else if (statefile != NULL)
		t->state = statefile;
}

/* The fields to ask for: id and timestamp always (the merge needs them). */
static char *
fieldlist(const char *fields)
{
	char *r;

	if (fields == NULL)
		fields = TH_TL_FIELDS;
	if (asprintf(&r, "%s%s%s", strstr(fields, "timestamp") ? "" : "timestamp,",
	    (strncmp(fields, "id,", 3) == 0 || strcmp(fields, "id") == 0 ||
	    strstr(fields, ",id,") || (strlen(fields) > 3 &&
	    strcmp(fields + strlen(fields) - 3, ",id") == 0)) ? "" : "id,",
	    fields) == -1)
		th_die(TH_EIO, "out of memory");
	return r;
}

static struct th_feed *
mkfeed(struct th_tl *t, jv cursors, long long firstsince, const char *fields)
{
	struct th_feed *f = th_feed_new(t->parallel);
	jv c, p;
	int i;

	for (i = 0; i < t->nsrc; i++) {
		long long ts = firstsince;
		jv ids = jv_array();

		if (t->src[i].kind == 'f')
			th_feed_add(f, t->src[i].label, th_src_fedi(t->src[i].path,
			    t->fields != NULL ? fields : NULL));
		else if (t->until > 0 && t->until <= TH_TL_EPOCH) {
			jv_free(ids);
			continue;	/* Threads has nothing that old */
		} else {
			/* a source's own fields (a ghost post's expiry) join
			 * the default set; --fields is asked as it is */
			jv own = jv_object_get(jv_copy(t->src[i].params),
			    jv_string("fields"));
			p = jv_object_set(jv_copy(t->src[i].params),
			    jv_string("fields"), t->fields == NULL &&
			    jv_get_kind(own) == JV_KIND_STRING ? jv_string_fmt("%s,%s",
			    fields, jv_string_value(own)) : jv_string(fields));
			jv_free(own);
			th_feed_add(f, t->src[i].label, th_src_threads(
			    t->src[i].label, t->src[i].path, p, t->src[i].ordered));
		}
		c = jv_get_kind(cursors) == JV_KIND_OBJECT ? jv_object_get(
		    jv_copy(cursors), jv_string(t->src[i].label)) : jv_null();
		if (jv_get_kind(c) == JV_KIND_OBJECT) {
			jv cts = jv_object_get(jv_copy(c), jv_string("ts"));
			ts = jv_get_kind(cts) == JV_KIND_NUMBER ? th_jv_num(cts) : 0;
			jv_free(cts);
			jv_free(ids);
			ids = jv_object_get(jv_copy(c), jv_string("ids"));
		}
		/* The feed sends the later of the window's start and the
		 * source's cursor as since, and the API refuses one before its
		 * first day: a Threads source starts there instead (nothing is
		 * older), the fediverse keeps the window. */
		if (t->src[i].kind != 'f' && ((ts > 0 && ts < TH_TL_EPOCH) ||
		    (ts <= 0 && t->since > 0 && t->since < TH_TL_EPOCH))) {
			ts = TH_TL_EPOCH;
			jv_free(ids);
			ids = jv_array();
		}
		if (ts > 0 || jv_get_kind(c) == JV_KIND_OBJECT)
			th_feed_cursor(f, ts, ids);
		else
			jv_free(ids);
		jv_free(c);
	}
	th_feed_window(f, t->since, t->until, 1);
	if (t->limit > 0 && t->limit < 100)
		th_feed_pagesize(f, (int)t->limit);
	return f;
}

/*
 * -v with --new or --state: where each source starts reading, so that a
 * first run that prints nothing says why (everything was older).
 */
static void
saystart(struct th_tl *t, jv cursors, long long first)
{
	char when[32];
	long long ts;
	time_t tt;
	struct tm tm;
	jv c, cts;
	int i;

	if (th_opts.verbose < 1 || t->state == NULL)
		return;
	for (i = 0; i < t->nsrc; i++) {
		c = jv_get_kind(cursors) == JV_KIND_OBJECT ? jv_object_get(
		    jv_copy(cursors), jv_string(t->src[i].label)) : jv_null();
		cts = jv_get_kind(c) == JV_KIND_OBJECT ?
		    jv_object_get(jv_copy(c), jv_string("ts")) : jv_null();
		ts = jv_get_kind(cts) == JV_KIND_NUMBER ? th_jv_num(cts) :
		    t->since > 0 ? t->since : first;
		tt = (time_t)ts;
		/* a cursor file's ts may be any number: gmtime() NULL */
		if (gmtime_r(&tt, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
			strlcpy(when, "a date no calendar has", sizeof(when));
		if (jv_get_kind(cts) == JV_KIND_NUMBER)
			th_msg(0, "%s: from its cursor, posts after %s", t->src[i].label,
			    when);
		else if (t->since > 0)
			th_msg(0, "%s: first run: from --since, %s", t->src[i].label,
			    when);
		else
			th_msg(0, "%s: first run: from a day back, %s (--since starts "
			    "further back)", t->src[i].label, when);
		jv_free(cts);
		jv_free(c);
	}
}

/* Move each of the item's sources' cursors up to it. */
static jv
advance(jv cursors, jv item)
{
	long long ts = th_jv_time(item, "timestamp");
	char *id = th_jv_idstr(item, "id");
	jv labels = jv_object_get(jv_copy(item), jv_string("th_sources")), c, cts;
	long long cur;

	if (id == NULL || ts < 0) {
		free(id);
		jv_free(labels);
		return cursors;
	}
	jv_array_foreach(labels, i, l) {
		c = jv_object_get(jv_copy(cursors), jv_copy(l));
		cts = jv_get_kind(c) == JV_KIND_OBJECT ?
		    jv_object_get(jv_copy(c), jv_string("ts")) : jv_null();
		cur = jv_get_kind(cts) == JV_KIND_NUMBER ? th_jv_num(cts) : -1;
		jv_free(cts);
		if (ts > cur) {
			jv_free(c);
			c = jv_object_set(jv_object_set(jv_object(), jv_string("ts"),
			    jv_number((double)ts)), jv_string("ids"),
			    jv_array_append(jv_array(), jv_string(id)));
		} else if (ts == cur)
			c = jv_object_set(c, jv_string("ids"), jv_array_append(
			    jv_object_get(jv_copy(c), jv_string("ids")), jv_string(id)));
		if (jv_get_kind(c) == JV_KIND_OBJECT)
			cursors = jv_object_set(cursors, l, c);
		else {
			jv_free(c);
			jv_free(l);
		}
	}
	jv_free(labels);
	free(id);
	return cursors;
}

static int
loadstate(const char *path, jv *cursors)
{
	FILE *fp;
	char *buf = NULL;
	size_t cap = 0, len;
	jv st;

	*cursors = jv_null();	/* null until read: nothing to free on an error */
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno != ENOENT)
			return th_msg(TH_EIO, "%s: %s", path, strerror(errno));
		*cursors = jv_object();
		return 0;
	}
	len = (size_t)getdelim(&buf, &cap, '\0', fp);
	fclose(fp);
	if (buf == NULL || len == (size_t)-1) {
		free(buf);
		*cursors = jv_object();
		return 0;	/* empty */
	}
	st = th_json_parse(buf, len);
	free(buf);
	if (jv_get_kind(st) != JV_KIND_OBJECT) {
		jv_free(st);
		return th_msg(TH_EDATA, "%s: not a th state file: remove it to start "
		    "afresh", path);
	}
	*cursors = jv_object_get(st, jv_string("sources"));
	if (jv_get_kind(*cursors) != JV_KIND_OBJECT) {
		jv_free(*cursors);
		*cursors = jv_object();
	}
	return 0;
}

static int
savestate(const char *path, jv cursors)
{
	char dir[4096], *s, *slash;
	int rc = 0;

	strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if (th_store_mkdirs(dir, 0700) == -1)
			return th_msg(TH_EIO, "%s: %s", dir, strerror(errno));
	}
	s = th_json_dump(jv_object_set(jv_object_set(jv_object(), jv_string("version"),
	    jv_number(1)), jv_string("sources"), jv_copy(cursors)));
	if (s == NULL)
		return th_msg(TH_EIO, "out of memory");
	if (th_store_replace(path, s, strlen(s), 0600) == -1)
		rc = th_msg(TH_EIO, "%s: %s", path, strerror(errno));
	free(s);
	return rc;
}

/*
 * Hold the state for the whole run: two overlapping runs would read the
 * same cursor, print the same posts, and the last to save would win. The
 * lock is a hidden file beside the state (a --new name never starts with
 * a dot; the state itself is replaced by rename, so it cannot carry the
 * lock). A run that overlaps waits LOCK_WAIT, then gives up with 75.
 */
static int
lockstate(const char *path, int *fd)
{
	char dir[4096], lock[4096 + 16], *slash;
	const char *base = path;

	*fd = -1;
	if (strlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return th_msg(TH_EUSAGE, "%s: path too long", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		base = slash + 1;
		if (dir[0] != '\0' && th_store_mkdirs(dir, 0700) == -1)
			return th_msg(TH_EIO, "%s: %s", dir, strerror(errno));
	}
	if ((size_t)snprintf(lock, sizeof(lock), "%s%s.%s.lock",
	    slash != NULL ? dir : "", slash != NULL ? "/" : "", base) >= sizeof(lock))
		return th_msg(TH_EUSAGE, "%s: path too long", path);
	if ((*fd = th_store_trylock(lock, LOCK_WAIT)) != -1)
		return 0;
	if (errno == EWOULDBLOCK)
		return th_msg(TH_ETEMP, "%s: another run is reading it (waited %d s): "
		    "try again later", path, LOCK_WAIT / 1000);
	return th_msg(TH_EIO, "%s: %s", lock, strerror(errno));
}

static void
progress(struct th_feed *f, long n, int *shown, const char *verb)
{
	/* asked once, not with a system call a post (3% of a long read) */
	static int tty = -1;

	if (th_feed_pages(f) < 4)
		return;
	if (tty == -1)
		tty = isatty(STDERR_FILENO);
	if (!tty)
		return;
	fprintf(stderr, "\r%s: %ld pages, %ld posts ", verb, th_feed_pages(f), n);
	*shown = 1;
}

static void
endprogress(int shown)
{
	if (shown)
		fputs("\r\033[K", stderr);
}

enum mode {
	STREAM,		/* newest first, as read */
	NEWEST,		/* the newest `limit`, printed oldest first */
	OLDEST,		/* everything, printed oldest first up to `limit` */
};

/* One pass: read the feed, print. *cursors (may be NULL) moves over what
 * was printed, *seen (may be NULL) over everything read. */
static int
pass(struct th_tl *t, struct th_feed *f, enum mode mode, long limit, jv *cursors,
    jv *seen)
{
	jv item, buf = jv_array();
	long n = 0, i, len;
	int rc = 0, orc, shown = 0;

	/* a pass is a page boundary (out.h): records may be held within
	 * it, none past its end, where a follow run sleeps and a run with
	 * a state file saves its cursors */
	(void)th_out_flush();
	while (!stop && (limit < 0 || mode == OLDEST || n < limit) &&
	    (rc = th_feed_next(f, &item)) == 1) {
		rc = 0;
		if (seen != NULL)
			*seen = advance(*seen, item);
		n++;
		progress(f, n, &shown, t->verb);
		if (mode != STREAM) {
			buf = jv_array_append(buf, item);
			continue;
		}
		if (cursors != NULL)
			*cursors = advance(*cursors, item);
		if ((orc = th_out_emit(item)) == TH_EIO) {
			rc = orc;
			break;
		}
		rc = th_status_merge(rc, orc);
	}
	endprogress(shown);
	if ((orc = th_out_flush()) == TH_EIO)
		rc = orc;
	if (rc != 0 && rc != TH_EFAIL) {
		jv_free(buf);
		return rc;
	}
	/* oldest first; OLDEST with a limit prints the oldest ones, so a
	 * cursor never passes a post that was not printed */
	len = jv_array_length(jv_copy(buf));
	for (i = len - 1; i >= 0 && (mode != OLDEST || limit < 0 ||
	    len - 1 - i < limit); i--) {
		item = jv_array_get(jv_copy(buf), (int)i);
		if (cursors != NULL)
			*cursors = advance(*cursors, item);
		if ((orc = th_out_emit(item)) == TH_EIO) {
			rc = orc;
			break;
		}
		rc = th_status_merge(rc, orc);
	}
	jv_free(buf);
	if ((orc = th_out_flush()) == TH_EIO)
		rc = orc;
	return rc;
}

/* The polling interval that keeps a day of polling within the quotas. */
static long
stretch(struct th_tl *t)
{
	long users = 0, searches = 0, need;
	int i;

	for (i = 0; i < t->nsrc; i++) {
		users += t->src[i].kind == 'u';
		searches += t->src[i].kind == 's';
	}
	/* 90% of each daily quota, leaving room for everything else */
	need = (users * 86400 + QUOTA_DISCOVERY * 9 / 10 - 1) / (QUOTA_DISCOVERY * 9 / 10);
	if ((searches * 86400 + QUOTA_SEARCH * 9 / 10 - 1) / (QUOTA_SEARCH * 9 / 10) > need)
		need = (searches * 86400 + QUOTA_SEARCH * 9 / 10 - 1) / (QUOTA_SEARCH * 9 / 10);
	if (need > t->interval) {
		th_msg(0, "polling every %ld s instead of %ld s: %ld profile and %ld "
		    "search sources must fit the daily quotas (%d profile lookups, "
		    "%d searches)", need, t->interval, users, searches,
		    QUOTA_DISCOVERY, QUOTA_SEARCH);
		return need;
	}
	return t->interval;
}

/* Sleep, but wake when the reader of a pipe goes away: with nothing new
 * to write, EPIPE would otherwise never come and follow mode would
 * outlive `| head -1` for ever. */
static void
sleepfor(long secs)
{
	struct pollfd p = { STDOUT_FILENO, 0, 0 };
	struct stat st;
	long long end = time(NULL) + secs;
	int ispipe = fstat(STDOUT_FILENO, &st) == 0 &&
	    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
	long long left;

	while (!stop && (left = end - time(NULL)) > 0) {
		if (!ispipe) {
			struct timespec ts = { (time_t)left, 0 };
			nanosleep(&ts, NULL);
			continue;
		}
		if (poll(&p, 1, (int)(left > 1000 ? 1000000 : left * 1000)) > 0 &&
		    (p.revents & (POLLERR | POLLHUP))) {
			readergone = 1;
			return;
		}
	}
}

static int
run(struct th_tl *t)
{
	struct th_feed *f;
	struct sigaction sa;
	jv cursors = jv_null(), seen;
	long long now = time(NULL), first;
	long interval;
	char *fields = fieldlist(t->fields);
	enum mode mode;
	int rc = 0, st;

	if (t->state != NULL && (rc = loadstate(t->state, &cursors)) != 0) {
		free(fields);
		return rc;
	}
	if (!t->follow) {
		/* a plain run: newest first, streamed; --reverse and --new
		 * hold the run and print it oldest first */
		mode = t->state != NULL ? OLDEST : t->reverse ? NEWEST : STREAM;
		first = t->state != NULL && t->since == 0 ? now - FIRST_WINDOW : 0;
		f = mkfeed(t, cursors, first, fields);
		saystart(t, cursors, first);
		rc = pass(t, f, mode, t->limit, t->state ? &cursors : NULL, NULL);
		st = th_feed_status(f);
		th_feed_free(f);
		/* the cursor moves only once the output is out */
		if (t->state != NULL && rc == 0 && fflush(stdout) == 0 &&
		    !ferror(stdout))
			rc = savestate(t->state, cursors);
		jv_free(cursors);
		free(fields);
		return th_status_merge(rc, st);
	}

	/* follow: print the latest, then what appears, until told to stop */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a reader that goes away ends it */
	interval = stretch(t);
	if (jv_get_kind(cursors) != JV_KIND_OBJECT) {
		jv_free(cursors);
		cursors = jv_object();
	}
	seen = jv_copy(cursors);
	first = t->state != NULL ? now - FIRST_WINDOW : 0;
	f = mkfeed(t, cursors, first, fields);
	saystart(t, cursors, first);
	if (t->state != NULL)
		rc = pass(t, f, OLDEST, t->limit, &cursors, &seen);
	else
		rc = pass(t, f, NEWEST, t->limit < 0 ? 10 : t->limit, &cursors, &seen);
	st = th_feed_status(f);
	th_feed_free(f);
	/* no token, a refused one, a bad configuration: polling again in a
	 * minute would fail the same way, for ever and in silence */
	if (rc == 0 && (st == TH_EAUTH || st == TH_ECONFIG))
		rc = st;
	if (t->state == NULL) {
		/* what came before the start is not news: start from all of it */
		jv_free(cursors);
		cursors = seen;
	} else
		jv_free(seen);
	while (!stop && !readergone && !th_out_closed() && (rc == 0 || rc == TH_EFAIL)) {
		if (t->state != NULL && fflush(stdout) == 0)
			if ((rc = savestate(t->state, cursors)) != 0)
				break;
		sleepfor(interval);
		if (stop || readergone)
			break;
		f = mkfeed(t, cursors, now, fields);
		rc = pass(t, f, OLDEST, -1, &cursors, NULL);
		st = th_status_merge(st, th_feed_status(f));
		th_feed_free(f);
		if (rc == 0 && (st == TH_EAUTH || st == TH_ECONFIG))
			rc = st;
		if (rc == TH_EAUTH || rc == TH_ECONFIG)
			break;
		if (rc != 0 && rc != TH_EIO && rc != TH_EFAIL) {
			/* transient: back off, go on */
			th_msg(0, "polling failed; trying again in %ld s", interval);
			rc = 0;
		}
	}
	if (t->state != NULL && rc == 0 && !th_out_closed() && !readergone &&
	    fflush(stdout) == 0)
		rc = savestate(t->state, cursors);
	jv_free(cursors);
	free(fields);
	if (th_out_closed() || readergone || (stop && (rc == 0 || rc == TH_EFAIL)))
		return 0;	/* SIGINT, SIGTERM, EPIPE: a clean end */
	return th_status_merge(rc, st);
}

int
th_tl_run(struct th_tl *t)
{
	int i, threads = 0, fd, rc;

	for (i = 0; i < t->nsrc; i++)
		threads += t->src[i].kind != 'f';
	/* said before any request (the API's own answer to an early since
	 * is an error that reads like "no such user") */
	if (threads > 0 && t->until > 0 && t->until <= TH_TL_EPOCH)
		th_msg(0, "warning: --until is before 2023-07-05, the first day "
		    "of Threads' API: %s", threads < t->nsrc ?
		    "only the fediverse sources are read" : "there is nothing to read");
	else if (threads > 0 && t->since > 0 && t->since < TH_TL_EPOCH &&
	    th_opts.verbose)
		th_msg(0, "--since is before 2023-07-05, the first day of Threads' "
		    "API: Threads is asked from then (since=%lld)", TH_TL_EPOCH);
	if (t->state != NULL && (rc = lockstate(t->state, &fd)) != 0)
		return rc;
	rc = run(t);
	if (t->state != NULL)
		th_store_unlock(fd);
	return rc;
}
