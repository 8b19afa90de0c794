/*
 * list: the follows and lists the Threads API does not have, as plain
 * files under $XDG_DATA_HOME/th/lists/, one source per line. People edit
 * them by hand and keep them in git, so a writer changes only the lines
 * it means to: every other byte, comments and order included, is written
 * back as it was. Writers hold the list's flock and replace the file
 * atomically, so concurrent cron jobs never lose an entry and a writer
 * killed at any point leaves the old file or the new one.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api.h"
#include "config.h"
#include "json.h"
#include "ap.h"
#include "buf.h"
#include "list.h"
#include "msg.h"
#include "out.h"
#include "permalink.h"
#include "store.h"
#include "text.h"

int
th_list_valid_name(const char *name)
{
	size_t n = strlen(name);

	return n >= 1 && n <= 64 && name[0] != '.' &&
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == n;
}

static int
validuser(const char *u, size_t n)
{
	return n >= 1 && n <= 30 && strspn(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._") >= n;
}

static int
validhost(const char *h)
{
	size_t n = strlen(h);

	return n >= 3 && n <= 253 && strchr(h, '.') != NULL && h[0] != '.' &&
	    h[0] != '-' && h[n - 1] != '.' && strspn(h, "ABCDEFGHIJKLMNOPQRST"
	    "UVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* An actor's https URL (a fediverse source), kept as written but for the
 * scheme and the host, since a path is case-sensitive. */
static int
actorurl(char *out, char *why, size_t whysize)
{
	char host[256];
	size_t n = strcspn(out + 8, "/?#");

	if (n == 0 || n >= sizeof(host) || strpbrk(out, " \t\"<>\\^`{|}") != NULL) {
		snprintf(why, whysize, "'%s': not an actor URL "
		    "(https://host/path)", out);
		return TH_SRC_BAD;
	}
	memcpy(host, out + 8, n);
	host[n] = '\0';
	if (strchr(host, ':') != NULL && strspn(strchr(host, ':') + 1,
	    "0123456789") == strlen(strchr(host, ':') + 1))
		*strchr(host, ':') = '\0';
	if (!validhost(host) || out[8 + n] != '/' || out[9 + n] == '\0') {
		snprintf(why, whysize, "'%s': not an actor URL "
		    "(https://host/path)", out);
		return TH_SRC_BAD;
	}
	memcpy(out, "https://", 8);
	for (char *h = out + 8; h < out + 8 + n; h++)
		*h = (char)tolower((unsigned char)*h);
	return TH_SRC_FEDI;
}

/* pending:ID or pending:PERMALINK, a post of yours: the permalink is
 * looked up when the source is read, not here. */
static int
pendingsrc(char *out, char *why, size_t whysize)
{
	char user[32], code[32];

	if (th_isid(out + 8))
		return TH_SRC_PENDING;
	if (th_permalink_parse(out + 8, user, sizeof(user), code, sizeof(code))) {
		snprintf(out, TH_SRC_MAX, "pending:https://www.threads.com/"
		    "@%s/post/%s", user, code);
		return TH_SRC_PENDING;
	}
	snprintf(why, whysize, "'%s': pending: takes a post's id or permalink", out);
	return TH_SRC_BAD;
}

/* A bare word where a source goes: "ramen" could be either, and taking
 * it for @ramen once followed a user where a tag was meant, silently. */
static int
bareword(const char *out, size_t len, char *why, size_t whysize)
{
	const char *at;
	int asuser = validuser(out, len) || ((at = strchr(out, '@')) != NULL &&
	    at > out && validhost(at + 1));
	int astag = th_text_chars(out, len) <= 50 && strpbrk(out, ".&@") == NULL;

	if (asuser || astag)
		snprintf(why, whysize, "'%s': a bare word is not a source: "
		    "%s%s%s%s%s?", out, asuser ? "@" : "", asuser ? out : "",
		    asuser && astag ? " or " : "", astag ? "#" : "",
		    astag ? out : "");
	else
		snprintf(why, whysize, "'%s': not a source (me, mentions, "
		    "replies, ghosts, @user, #tag, list:NAME, @user@host, "
		    "https://host/actor, a post's permalink, pending:ID)", out);
	return TH_SRC_BAD;
}

int
th_source(const char *s, int bare, char out[TH_SRC_MAX], char *why,
    size_t whysize)
{
	const char *u, *at;
	char user[32], code[32];
	size_t n, len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0) {
		snprintf(why, whysize, "an empty source");
		return TH_SRC_BAD;
	}
	if (len >= TH_SRC_MAX) {
		snprintf(why, whysize, "'%.40s...': too long for a source", s);
		return TH_SRC_BAD;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	if (!th_text_utf8(out, len, NULL) || th_text_control(out, len) >= 0) {
		snprintf(why, whysize, "a source with control characters or bad UTF-8");
		return TH_SRC_BAD;
	}
	if (strcmp(out, "me") == 0)
		return TH_SRC_ME;
	if (strcmp(out, "mentions") == 0)
		return TH_SRC_MENTIONS;
	if (!bare && strcmp(out, "replies") == 0)
		return TH_SRC_REPLIES;
	if (!bare && strcmp(out, "ghosts") == 0)
		return TH_SRC_GHOSTS;
	if (strncmp(out, "pending:", 8) == 0)
		return pendingsrc(out, why, whysize);
	if (strncmp(out, "list:", 5) == 0) {
		if (!th_list_valid_name(out + 5)) {
			snprintf(why, whysize, "'%s': a list name has 1 to 64 of "
			    "A-Z a-z 0-9 . _ - and does not start with a dot", out);
			return TH_SRC_BAD;
		}
		return TH_SRC_LIST;
	}
	if (th_permalink_parse(out, user, sizeof(user), code, sizeof(code))) {
		/* a post's conversation; one spelling, whatever the app shared */
		snprintf(out, TH_SRC_MAX, "https://www.threads.com/@%s/post/%s",
		    user, code);
		return TH_SRC_POST;
	}
	if (strncasecmp(out, "https://", 8) == 0)
		return actorurl(out, why, whysize);
	if (out[0] == '#') {
		n = th_text_chars(out + 1, len - 1);
		if (n < 1 || n > 50 || strpbrk(out + 1, ".&") != NULL ||
		    out[1] == ' ' || out[1] == '#') {
			snprintf(why, whysize, "'%s': a topic tag has 1 to 50 "
			    "characters and no '.' or '&'", out);
			return TH_SRC_BAD;
		}
		return TH_SRC_TAG;
	}
	u = out;
	if (*u == '@') {
		while (*u == '@')	/* "@@user" is "@user": one @ is stored */
			u++;
	} else if (!bare)
		return bareword(out, len, why, whysize);
	if ((at = strchr(u, '@')) != NULL) {
		/* @user@host: a fediverse account */
		n = (size_t)(at - u);
		if (n < 1 || n > 64 || strspn(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
		    "ghijklmnopqrstuvwxyz0123456789._-") < n || !validhost(at + 1)) {
			snprintf(why, whysize, "'%s': not a fediverse account "
			    "(@user@host)", out);
			return TH_SRC_BAD;
		}
		memmove(out + 1, u, strlen(u) + 1);
		out[0] = '@';
		lower(out);
		return TH_SRC_FEDI;
	}
	if (!validuser(u, strlen(u))) {
		snprintf(why, whysize, "'%s': a username has 1 to 30 letters, "
		    "digits, '.' and '_'", out);
		return TH_SRC_BAD;
	}
	memmove(out + 1, u, strlen(u) + 1);
	out[0] = '@';
	lower(out);
	return TH_SRC_USER;
}

static int
listdir(char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/lists", th_cfg.data_dir) >= size)
		return th_msg(TH_EIO, "data path too long");
	return 0;
}

static int
listpath(const char *name, char *buf, size_t size, const char *prefix)
{
	char dir[PATH_MAX];
	int rc;

	if ((rc = listdir(dir, sizeof(dir))) != 0)
		return rc;
	if ((size_t)snprintf(buf, size, "%s/%s%s", dir, prefix, name) >= size)
		return th_msg(TH_EIO, "list path too long");
	return 0;
}

static int
pushline(struct th_list *l, const char *s, size_t len)
{
	char **nl;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((nl = reallocarray(l->line, l->cap, sizeof(*nl))) == NULL)
			return -1;
		l->line = nl;
	}
	if ((l->line[l->n] = strndup(s, len)) == NULL)
		return -1;
	l->n++;
	return 0;
}

int
th_list_read(const char *name, struct th_list *l)
{
	struct th_buf b = TH_BUF_INIT;
	char *buf, *p, *e, real[PATH_MAX];
	size_t len;
	struct stat st;
	int fd, rc;

	memset(l, 0, sizeof(*l));
	strlcpy(l->name, name, sizeof(l->name));
	l->mode = 0644;
	l->nl = 1;
	if ((rc = listpath(name, l->path, sizeof(l->path), "")) != 0)
		return rc;
	/* a list kept elsewhere (a git checkout) through a link: write there */
	if (realpath(l->path, real) != NULL)
		strlcpy(l->path, real, sizeof(l->path));
	if ((fd = open(l->path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		return th_msg(TH_EIO, "list %s: %s", name, strerror(errno));
	}
	if (fstat(fd, &st) == 0)
		l->mode = st.st_mode & 07777;
	if (th_buf_readfd(&b, fd) == -1) {
		rc = th_msg(TH_EIO, "list %s: %s", name, strerror(errno));
		goto out;
	}
	buf = b.s;
	len = b.len;
	l->exists = 1;
	for (p = buf; p < buf + len; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(buf + len - p))) == NULL) {
			l->nl = 0;
			e = buf + len;
		}
		if (pushline(l, p, (size_t)(e - p)) == -1) {
			rc = th_msg(TH_EIO, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	th_buf_free(&b);
	close(fd);
	return rc;
}

int
th_list_source(const struct th_list *l, size_t i, char out[TH_SRC_MAX],
    char *why, size_t whysize)
{
	const char *s = l->line[i];
	size_t n = strlen(s);
	char tmp[TH_SRC_MAX * 2];

	if (n > 0 && s[n - 1] == '\r')
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0 || (s[0] == '#' && (n == 1 || s[1] == ' ' || s[1] == '\t')))
		return -2;
	if (n >= sizeof(tmp)) {
		snprintf(why, whysize, "line too long for a source");
		return TH_SRC_BAD;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return th_source(tmp, 0, out, why, whysize);
}

int
th_list_write(struct th_list *l)
{
	char dir[PATH_MAX], *buf, *p;
	size_t i, len = 0;
	int rc;

	if ((rc = listdir(dir, sizeof(dir))) != 0)
		return rc;
	if (th_store_mkdirs(dir, 0755) == -1)
		return th_msg(TH_EIO, "%s: %s", dir, strerror(errno));
	for (i = 0; i < l->n; i++)
		len += strlen(l->line[i]) + 1;
	if ((buf = malloc(len + 1)) == NULL)
		return th_msg(TH_EIO, "out of memory");
	for (i = 0, p = buf; i < l->n; i++) {
		size_t k = strlen(l->line[i]);
		memcpy(p, l->line[i], k);
		p += k;
		if (i + 1 < l->n || l->nl)
			*p++ = '\n';
	}
	if (th_store_replace(l->path, buf, (size_t)(p - buf), l->mode) == -1)
		rc = th_msg(TH_EIO, "list %s: %s", l->name, strerror(errno));
	free(buf);
	if (rc == 0)
		l->exists = 1;
	return rc;
}

void
th_list_free(struct th_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	l->line = NULL;
	l->n = l->cap = 0;
}

int
th_list_lock(const char *name)
{
	char dir[PATH_MAX], lock[PATH_MAX], pre[80];
	struct dirent *d;
	DIR *dp;
	int fd;

	if (listdir(dir, sizeof(dir)) != 0 ||
	    listpath(name, lock, sizeof(lock), ".lock.") != 0)
		return -1;
	if (th_store_mkdirs(dir, 0755) == -1) {
		th_msg(TH_EIO, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if ((fd = th_store_lock(lock)) == -1) {
		th_msg(TH_EIO, "%s: %s", lock, strerror(errno));
		return -1;
	}
	/* under the lock, a temporary file of this list is a killed writer's */
	snprintf(pre, sizeof(pre), ".%s.tmp", name);
	if ((dp = opendir(dir)) != NULL) {
		while ((d = readdir(dp)) != NULL)
			if (strncmp(d->d_name, pre, strlen(pre)) == 0 &&
			    strlen(d->d_name) == strlen(pre) + 6)
				unlinkat(dirfd(dp), d->d_name, 0);
		closedir(dp);
	}
	return fd;
}

/* ---- the verbs' acts ------------------------------------------------------ */

static int
emit3(const char *list, const char *src, const char *flag, int val)
{
	jv o = jv_object_set(jv_object(), jv_string("list"), jv_string(list));

	o = jv_object_set(o, jv_string("source"), jv_string(src));
	if (flag != NULL)
		o = jv_object_set(o, jv_string(flag), jv_bool(val));
	return th_out_emit(o);
}

static int
addsrc(char ***src, int *n, const char *s)
{
	char **ns;
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp((*src)[i], s) == 0)
			return 0;
	if ((ns = reallocarray(*src, (size_t)*n + 1, sizeof(*ns))) == NULL ||
	    (ns[*n] = strdup(s)) == NULL) {
		if (ns != NULL)
			*src = ns;
		return th_msg(TH_EIO, "out of memory");
	}
	*src = ns;
	(*n)++;
	return 0;
}

void
th_list_gather_free(char **src, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(src[i]);
	free(src);
}

int
th_list_gather(int argc, char **argv, char ***src, int *n)
{
	char out[TH_SRC_MAX], why[256], *line = NULL, *v;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int i, rc = 0, bad = 0, user;
	jv rec;

	*src = NULL;
	*n = 0;
	for (i = 0; i < argc && rc == 0; i++) {
		if (th_source(argv[i], 0, out, why, sizeof(why)) == TH_SRC_BAD)
			bad = th_msg(TH_EDATA, "%s", why);
		else
			rc = addsrc(src, n, out);
	}
	if (argc > 0 || isatty(STDIN_FILENO))
		goto done;
	while (rc == 0 && (len = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		if (memchr(line, '\0', (size_t)len) != NULL) {
			bad = th_msg(TH_EDATA, "stdin:%ld: NUL byte in input", lineno);
			continue;
		}
		line[strcspn(line, "\r\n")] = '\0';
		v = line + strspn(line, " \t");
		if (*v == '\0' || (v[0] == '#' && (v[1] == ' ' || v[1] == '\0')))
			continue;
		if (*v == '{') {
			user = 0;
			rec = th_json_parse(v, strlen(v));
			if (jv_get_kind(rec) != JV_KIND_OBJECT || th_jv_hasnul(rec)) {
				bad = th_msg(TH_EDATA, "stdin:%ld: %s", lineno,
				    jv_get_kind(rec) != JV_KIND_OBJECT ? "not a JSON "
				    "object" : "a string holds a NUL (\\u0000)");
				jv_free(rec);
				continue;
			}
			/* a record's username is a user's, never a tag */
			if ((v = th_jv_strdup(rec, "source")) == NULL &&
			    (v = th_jv_strdup(rec, "username")) != NULL)
				user = 1;
			if (v == NULL) {
				jv_free(rec);
				bad = th_msg(TH_EDATA, "stdin:%ld: a record needs "
				    "\"source\" or \"username\"", lineno);
				continue;
			}
			jv_free(rec);
			if (th_source(v, user, out, why, sizeof(why)) == TH_SRC_BAD)
				bad = th_msg(TH_EDATA, "stdin:%ld: %s", lineno, why);
			else
				rc = addsrc(src, n, out);
			free(v);
			continue;
		}
		if (th_source(v, 0, out, why, sizeof(why)) == TH_SRC_BAD)
			bad = th_msg(TH_EDATA, "stdin:%ld: %s", lineno, why);
		else
			rc = addsrc(src, n, out);
	}
	free(line);
done:
	if (rc == 0 && bad == 0 && *n == 0 && argc == 0)
		th_msg(0, "nothing to do: no sources on stdin");
	if (rc == 0 && bad != 0)
		rc = TH_EDATA;
	if (rc != 0) {
		th_list_gather_free(*src, *n);
		*src = NULL;
		*n = 0;
	}
	return rc;
}

static int
needname(const char *name)
{
	if (!th_list_valid_name(name))
		return th_msg(TH_EDATA, "'%s': a list name has 1 to 64 of A-Z a-z "
		    "0-9 . _ - and does not start with a dot", name);
	return 0;
}

/* Index of the line holding src, or -1. */
static long
findsrc(const struct th_list *l, const char *src)
{
	char out[TH_SRC_MAX], why[8];
	size_t i;

	for (i = 0; i < l->n; i++)
		if (th_list_source(l, i, out, why, sizeof(why)) >= 0 &&
		    strcasecmp(out, src) == 0)
			return (long)i;
	return -1;
}

int
th_list_add(const char *name, char **src, int n)
{
	struct th_list l;
	int i, fd, rc, *added, any = 0;

	if ((rc = needname(name)) != 0)
		return rc;
	if (n == 0)
		return 0;	/* nothing to add: no list made either */
	if ((added = calloc((size_t)n + 1, sizeof(int))) == NULL)
		return th_msg(TH_EIO, "out of memory");
	if ((fd = th_list_lock(name)) == -1) {
		free(added);
		return TH_EIO;
	}
	if ((rc = th_list_read(name, &l)) == 0) {
		for (i = 0; i < n && rc == 0; i++)
			if (findsrc(&l, src[i]) == -1) {
				if (pushline(&l, src[i], strlen(src[i])) == -1)
					rc = th_msg(TH_EIO, "out of memory");
				l.nl = 1;	/* a last line without one gets it */
				added[i] = any = 1;
			}
		if (rc == 0 && (!l.exists || any))
			rc = th_list_write(&l);
	}
	th_list_free(&l);
	th_store_unlock(fd);
	for (i = 0; rc == 0 && i < n; i++)
		rc = emit3(name, src[i], "added", added[i]);
	free(added);
	return rc;
}

int
th_list_rm(const char *name, char **src, int n, int missing_ok)
{
	struct th_list l;
	long at;
	int i, fd, rc, *gone, any = 0;

	if ((rc = needname(name)) != 0)
		return rc;
	if ((gone = calloc((size_t)n + 1, sizeof(int))) == NULL)
		return th_msg(TH_EIO, "out of memory");
	if ((fd = th_list_lock(name)) == -1) {
		free(gone);
		return TH_EIO;
	}
	if ((rc = th_list_read(name, &l)) == 0 && !l.exists && !missing_ok)
		rc = th_msg(TH_EFAIL, "no list '%s'", name);
	for (i = 0; rc == 0 && l.exists && i < n; i++)
		while ((at = findsrc(&l, src[i])) != -1) {
			free(l.line[at]);
			memmove(l.line + at, l.line + at + 1,
			    (l.n - (size_t)at - 1) * sizeof(char *));
			l.n--;
			gone[i] = any = 1;
		}
	if (rc == 0 && any)
		rc = th_list_write(&l);
	th_list_free(&l);
	th_store_unlock(fd);
	for (i = 0; rc == 0 && i < n; i++)
		rc = emit3(name, src[i], "removed", gone[i]);
	free(gone);
	return rc;
}

/* A fediverse source's first step (WebFinger, or the actor of a URL):
 * 0 when it leads somewhere. */
static int
fedilookup(const char *list, const char *src)
{
	struct th_api_req q;
	struct th_api_res res;
	struct th_ap *a = th_ap_new(src, 20, 1);
	const char *url, *accept;
	char why[1024];
	enum th_ap_step st;
	jv o, posts;
	int rc = 0;

	if ((url = th_ap_url(a, &accept)) == NULL) {
		th_ap_free(a);
		return 0;
	}
	th_api_fetch(&q, url, accept);
	if (th_api_next(&res) == NULL)
		th_die(TH_EUNAVAIL, "%s: the request was lost", src);
	if (res.status != 0) {
		rc = th_msg(res.status, "%s: %s", src, res.why);
		th_api_res_free(&res);
		th_ap_free(a);
		return rc;
	}
	st = th_ap_answer(a, &res, &posts, why, sizeof(why));
	if (st == TH_AP_FAIL && th_ap_exit(a) != TH_EFAIL)
		rc = th_msg(th_ap_exit(a), "%s: %s", src, why);	/* no answer */
	else if (st == TH_AP_FAIL) {
		th_msg(0, "%s: %s: %s", list, src, why);
		o = jv_object_set(jv_object(), jv_string("list"), jv_string(list));
		o = jv_object_set(o, jv_string("source"), jv_string(src));
		o = jv_object_set(o, jv_string("found"), jv_false());
		o = jv_object_set(o, jv_string("error"), jv_string(why));
		rc = (rc = th_out_emit(o)) != 0 ? rc : TH_EFAIL;
	}
	jv_free(posts);
	th_api_res_free(&res);
	th_ap_free(a);
	return rc;
}

/* profile_lookup for @user: 0 when it is a public profile. */
static int
lookup(const char *list, const char *src)
{
	struct th_api_res res;
	jv o;
	int rc;

	rc = th_api_call("GET", "profile_lookup", jv_object_set(jv_object(),
	    jv_string("username"), jv_string(src + 1)), &res);
	if (rc == 0 || res.status != TH_EFAIL) {
		if (rc != 0)
			rc = th_api_report(&res, src);
		th_api_res_free(&res);
		return rc;
	}
	th_msg(0, "%s: %s: not found, or not a public profile", list, src);
	o = jv_object_set(jv_object(), jv_string("list"), jv_string(list));
	o = jv_object_set(o, jv_string("source"), jv_string(src));
	o = jv_object_set(o, jv_string("found"), jv_false());
	o = jv_object_set(o, jv_string("error"), jv_string(res.why));
	th_api_res_free(&res);
	return (rc = th_out_emit(o)) != 0 ? rc : TH_EFAIL;
}

int
th_list_show(const char *name, int check, int missing_ok)
{
	struct th_list l;
	char out[TH_SRC_MAX], why[256];
	size_t i;
	int rc, k, st = 0;

	if ((rc = needname(name)) != 0)
		return rc;
	if ((rc = th_list_read(name, &l)) != 0)
		return rc;
	if (!l.exists && !missing_ok) {
		th_list_free(&l);
		return th_msg(TH_EFAIL, "no list '%s'", name);
	}
	for (i = 0; i < l.n; i++) {
		if ((k = th_list_source(&l, i, out, why, sizeof(why))) == -2)
			continue;
		if (k == TH_SRC_BAD) {
			st = th_status_merge(st, th_msg(TH_EDATA, "list %s, line %zu: "
			    "%s", name, i + 1, why));
			continue;
		}
		if (!check)
			rc = emit3(name, out, NULL, 0);
		else if (k == TH_SRC_USER)
			rc = lookup(name, out);
		else if (k == TH_SRC_FEDI)
			rc = fedilookup(name, out);
		else
			rc = 0;
		if (rc == TH_EIO || rc == TH_EAUTH || rc == TH_ETEMP ||
		    rc == TH_EUNAVAIL) {
			st = rc;
			break;
		}
		st = th_status_merge(st, rc);
	}
	th_list_free(&l);
	return st;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
th_list_all(void)
{
	struct th_list l;
	struct dirent *d;
	char dir[PATH_MAX], out[TH_SRC_MAX], why[8], **names = NULL, **nn;
	size_t n = 0, i, j;
	long count;
	DIR *dp;
	int rc = 0;
	jv o;

	if ((rc = listdir(dir, sizeof(dir))) != 0)
		return rc;
	if ((dp = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : th_msg(TH_EIO, "%s: %s", dir, strerror(errno));
	while ((d = readdir(dp)) != NULL) {
		if (!th_list_valid_name(d->d_name))
			continue;
		if ((nn = reallocarray(names, n + 1, sizeof(*nn))) == NULL ||
		    (nn[n] = strdup(d->d_name)) == NULL) {
			names = nn ? nn : names;
			rc = th_msg(TH_EIO, "out of memory");
			break;
		}
		names = nn;
		n++;
	}
	closedir(dp);
	if (rc == 0)
		qsort(names, n, sizeof(*names), namecmp);
	for (i = 0; rc == 0 && i < n; i++) {
		if ((rc = th_list_read(names[i], &l)) != 0)
			break;
		for (j = 0, count = 0; j < l.n; j++)
			count += th_list_source(&l, j, out, why, sizeof(why)) >= 0;
		th_list_free(&l);
		o = jv_object_set(jv_object(), jv_string("list"), jv_string(names[i]));
		o = jv_object_set(o, jv_string("count"), jv_number((double)count));
		rc = th_out_emit(o);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
th_list_create(const char *name)
{
	struct th_list l;
	int fd, rc;

	if ((rc = needname(name)) != 0)
		return rc;
	if ((fd = th_list_lock(name)) == -1)
		return TH_EIO;
	if ((rc = th_list_read(name, &l)) == 0 && !l.exists)
		rc = th_list_write(&l);
	th_list_free(&l);
	th_store_unlock(fd);
	if (rc == 0)
		rc = th_out_emit(jv_object_set(jv_object(), jv_string("list"),
		    jv_string(name)));
	return rc;
}

int
th_list_delete(const char *name)
{
	char path[PATH_MAX];
	int fd, rc;

	if ((rc = needname(name)) != 0 ||
	    (rc = listpath(name, path, sizeof(path), "")) != 0)
		return rc;
	if ((fd = th_list_lock(name)) == -1)
		return TH_EIO;
	if (unlink(path) == -1)
		rc = errno == ENOENT ? th_msg(TH_EFAIL, "no list '%s'", name) :
		    th_msg(TH_EIO, "list %s: %s", name, strerror(errno));
	th_store_unlock(fd);
	if (rc == 0)
		rc = th_out_emit(jv_object_set(jv_object_set(jv_object(),
		    jv_string("list"), jv_string(name)), jv_string("deleted"),
		    jv_true()));
	return rc;
}

int
th_list_rename(const char *from, const char *to)
{
	char pf[PATH_MAX], pt[PATH_MAX];
	int f1, f2, rc;

	if ((rc = needname(from)) != 0 || (rc = needname(to)) != 0 ||
	    (rc = listpath(from, pf, sizeof(pf), "")) != 0 ||
	    (rc = listpath(to, pt, sizeof(pt), "")) != 0)
		return rc;
	if (strcmp(from, to) == 0)
		return th_msg(TH_EUSAGE, "'%s' to itself", from);
	/* two locks, always taken in name order: no deadlock */
	if ((f1 = th_list_lock(strcmp(from, to) < 0 ? from : to)) == -1)
		return TH_EIO;
	if ((f2 = th_list_lock(strcmp(from, to) < 0 ? to : from)) == -1) {
		th_store_unlock(f1);
		return TH_EIO;
	}
	if (access(pf, F_OK) == -1)
		rc = th_msg(TH_EFAIL, "no list '%s'", from);
	else if (access(pt, F_OK) == 0)
		rc = th_msg(TH_EFAIL, "list '%s' exists already", to);
	else if (rename(pf, pt) == -1)
		rc = th_msg(TH_EIO, "rename %s: %s", from, strerror(errno));
	th_store_unlock(f2);
	th_store_unlock(f1);
	if (rc == 0)
		rc = th_out_emit(jv_object_set(jv_object_set(jv_object(),
		    jv_string("list"), jv_string(to)), jv_string("renamed_from"),
		    jv_string(from)));
	return rc;
}

struct seen {
	char	**name;
	int	  n;
};

static int
expand(const char *name, th_source_fn *fn, void *arg, struct seen *s)
{
	struct th_list l;
	char out[TH_SRC_MAX], why[256], **nn;
	size_t i;
	int k, rc, st = 0;

	for (k = 0; k < s->n; k++)
		if (strcmp(s->name[k], name) == 0)
			return 0;	/* each list once: a cycle ends here */
	if ((nn = reallocarray(s->name, (size_t)s->n + 1, sizeof(*nn))) == NULL ||
	    (nn[s->n] = strdup(name)) == NULL) {
		s->name = nn ? nn : s->name;
		return th_msg(TH_EIO, "out of memory");
	}
	s->name = nn;
	s->n++;
	if ((rc = th_list_read(name, &l)) != 0)
		return rc;
	if (!l.exists) {
		th_list_free(&l);
		return th_msg(TH_EFAIL, "no list '%s'", name);
	}
	for (i = 0; i < l.n; i++) {
		k = th_list_source(&l, i, out, why, sizeof(why));
		if (k == -2)
			continue;
		if (k == TH_SRC_BAD) {
			st = th_status_merge(st, th_msg(TH_EDATA, "list %s, line %zu: "
			    "%s (skipped)", name, i + 1, why));
			continue;
		}
		rc = k == TH_SRC_LIST ? expand(out + 5, fn, arg, s) : fn(out, arg);
		if (rc != 0 && rc != TH_EDATA && rc != TH_EFAIL) {
			st = rc;
			break;
		}
		st = th_status_merge(st, rc);
	}
	th_list_free(&l);
	return st;
}

int
th_list_expand(const char *name, th_source_fn *fn, void *arg)
{
	struct seen s = { NULL, 0 };
	int rc, i;

	rc = expand(name, fn, arg, &s);
	for (i = 0; i < s.n; i++)
		free(s.name[i]);
	free(s.name);
	return rc;
}
