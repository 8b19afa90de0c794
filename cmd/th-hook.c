/*
 * th-hook: receive Threads webhooks behind a web server, for bots.
 *
 *	th-hook [-v] [--spool FILE | --exec CMD]
 *
 * Under CGI (GATEWAY_INTERFACE set) the request is in the environment
 * and the body on stdin; otherwise stdin holds one whole HTTP request
 * (inetd, socat) and the answer is an HTTP response. A GET is Meta's
 * verification: hub.verify_token against the configured one, the
 * hub.challenge sent back. A POST is an event delivery: its
 * X-Hub-Signature-256 (HMAC-SHA256 of the raw body, keyed with the app
 * secret) is checked before anything else is done with the body, then
 * each element of "values" becomes one NDJSON record, appended to the
 * spool (one write(2) a line, under flock) or given to CMD on its stdin.
 * The verify token and the app secret come from the config file or the
 * environment, never from argv, and are never echoed or logged.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "cli.h"
#include "config.h"
#include "json.h"
#include "store.h"

/* A delivery is a few KiB; a body bigger than this is refused unread. */
#define MAXBODY		(1L << 20)
/* A request that takes longer than this is a stalled client: under
 * inetd nothing else would ever end it. */
#define DEADLINE	60

enum { OPT_SPOOL = TH_OPT_VERB, OPT_EXEC };

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "spool",	required_argument,	NULL, OPT_SPOOL },
	{ "exec",	required_argument,	NULL, OPT_EXEC },
	{ NULL, 0, NULL, 0 }
};

/* The request, from the CGI environment or read off stdin. */
struct req {
	int	 cgi;		/* answer with Status: rather than HTTP/1.1 */
	char	 method[16];
	char	*query;		/* the query string, raw (malloc'd) */
	long long clen;		/* Content-Length, -1 when none was sent */
	char	 sig[128];	/* X-Hub-Signature-256, "" when none */
	int	 expect;	/* the client waits for 100 Continue */
};

static char spoolpath[PATH_MAX];	/* where events go, unless cmd */
static const char *cmd;			/* --exec or hook_exec, or NULL */

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-hook [-v] [--spool file | --exec command]\n",
	    "      --spool FILE        append events to FILE\n"
	    "      --exec COMMAND      run COMMAND with each event on its stdin\n");
}

/* The answer, in the form the caller speaks. Never holds a secret. */
static void
reply(struct req *r, int code, const char *reason, const char *body)
{
	printf("%s %d %s\r\n", r->cgi ? "Status:" : "HTTP/1.1", code, reason);
	if (code == 405)
		printf("Allow: GET, POST\r\n");
	printf("Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: %zu\r\n", strlen(body));
	if (!r->cgi)
		printf("Connection: close\r\n");
	printf("\r\n%s", body);
	fflush(stdout);
}

static int
refuse(struct req *r, int code, const char *reason, int status)
{
	char body[64];

	snprintf(body, sizeof(body), "%s\n", reason);
	reply(r, code, reason, body);
	return status;
}

static int
setclen(struct req *r, const char *v)
{
	const char *errstr;

	r->clen = -1;
	if (v == NULL || v[0] == '\0')
		return 0;
	r->clen = strtonum(v, 0, LLONG_MAX, &errstr);
	return errstr == NULL ? 0 : -1;
}

static int
fromcgi(struct req *r)
{
	const char *m = getenv("REQUEST_METHOD"), *q = getenv("QUERY_STRING"),
	    *s = getenv("HTTP_X_HUB_SIGNATURE_256");

	r->cgi = 1;
	if (m == NULL || strlcpy(r->method, m, sizeof(r->method)) >=
	    sizeof(r->method))
		return th_msg(TH_EDATA, "REQUEST_METHOD: missing or too long");
	r->query = th_strdup(q != NULL ? q : "");
	if (s != NULL && strlcpy(r->sig, s, sizeof(r->sig)) >= sizeof(r->sig))
		r->sig[0] = '\0';	/* no signature is that long: a bad one */
	if (setclen(r, getenv("CONTENT_LENGTH")) == -1)
		return th_msg(TH_EDATA, "CONTENT_LENGTH: not a length");
	return 0;
}

/* One HTTP/1.x request head off stdin: the request line and the headers
 * th-hook needs; the body is left unread. */
static int
fromstdin(struct req *r)
{
	char line[8192], *p, *v, *e;
	int n = 0;

	if (fgets(line, sizeof(line), stdin) == NULL)
		return th_msg(TH_EDATA, "stdin: no request");
	if ((p = strchr(line, ' ')) == NULL || (size_t)(p - line) >= sizeof(r->method))
		return th_msg(TH_EDATA, "stdin: not an HTTP request line");
	memcpy(r->method, line, p - line);
	r->method[p - line] = '\0';
	if ((e = strchr(++p, ' ')) == NULL || strncmp(e, " HTTP/1.", 8) != 0)
		return th_msg(TH_EDATA, "stdin: not an HTTP/1 request line");
	*e = '\0';
	r->query = th_strdup((v = strchr(p, '?')) != NULL ? v + 1 : "");
	r->clen = -1;
	for (;;) {
		if (fgets(line, sizeof(line), stdin) == NULL)
			return th_msg(TH_EDATA, "stdin: the request head is cut short");
		if (strchr(line, '\n') == NULL || ++n > 100)
			return th_msg(TH_EDATA, "stdin: the request head is too big");
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			return 0;
		if ((v = strchr(line, ':')) == NULL)
			return th_msg(TH_EDATA, "stdin: a header line without ':'");
		*v++ = '\0';
		v += strspn(v, " \t");
		for (e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t');)
			*--e = '\0';
		if (strcasecmp(line, "Content-Length") == 0) {
			if (setclen(r, v) == -1 || r->clen < 0)
				return th_msg(TH_EDATA, "stdin: Content-Length: not a length");
		} else if (strcasecmp(line, "X-Hub-Signature-256") == 0) {
			if (strlcpy(r->sig, v, sizeof(r->sig)) >= sizeof(r->sig))
				r->sig[0] = '\0';
		} else if (strcasecmp(line, "Transfer-Encoding") == 0)
			r->clen = -2;	/* chunked: not taken, 411 */
		else if (strcasecmp(line, "Expect") == 0 &&
		    strcasecmp(v, "100-continue") == 0)
			r->expect = 1;
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode %XX and '+' in place. */
static void
unescape(char *s)
{
	char *d = s;

	for (; *s != '\0'; s++) {
		if (*s == '+')
			*d++ = ' ';
		else if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*d++ = (char)(hexval(s[1]) << 4 | hexval(s[2]));
			s += 2;
		} else
			*d++ = *s;
	}
	*d = '\0';
}

static char *
xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (d == NULL)
		th_die(TH_EIO, "out of memory");
	return d;
}

/* The first value of parameter name in the query, decoded and
 * malloc'd, or NULL. */
static char *
param(const char *query, const char *name)
{
	const char *p, *eq, *end;
	char *k, *v;

	for (p = query; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		end = p + strcspn(p, "&");
		if ((eq = memchr(p, '=', end - p)) == NULL)
			continue;
		k = xstrndup(p, eq - p);
		unescape(k);
		if (strcmp(k, name) == 0) {
			free(k);
			v = xstrndup(eq + 1, end - eq - 1);
			unescape(v);
			return v;
		}
		free(k);
	}
	return NULL;
}

/* Equal, in a time that says nothing about where they differ, nor how
 * long the configured one is: compare their digests. */
static int
sameword(const char *a, const char *b)
{
	unsigned char da[SHA256_DIGEST_LENGTH], db[SHA256_DIGEST_LENGTH];
	int eq;

	SHA256((const unsigned char *)a, strlen(a), da);
	SHA256((const unsigned char *)b, strlen(b), db);
	eq = CRYPTO_memcmp(da, db, sizeof(da)) == 0;
	explicit_bzero(da, sizeof(da));
	explicit_bzero(db, sizeof(db));
	return eq;
}

/* GET: Meta's verification of the callback URL. */
static int
verify(struct req *r)
{
	char *mode, *tok, *chal;
	size_t len;
	int rc;

	mode = param(r->query, "hub.mode");
	rc = mode != NULL && strcmp(mode, "subscribe") == 0;
	free(mode);
	if (!rc)
		return th_msg(refuse(r, 400, "Bad Request", TH_EDATA),
		    "GET: not a verification request (hub.mode=subscribe)");
	if (th_cfg.hook_verify_token[0] == '\0') {
		refuse(r, 403, "Forbidden", TH_ECONFIG);
		return th_msg(TH_ECONFIG, "no verify token: set hook_verify_token "
		    "in a private config file, or TH_HOOK_VERIFY_TOKEN");
	}
	tok = param(r->query, "hub.verify_token");
	rc = tok != NULL && sameword(tok, th_cfg.hook_verify_token);
	if (!rc) {
		refuse(r, 403, "Forbidden", TH_EAUTH);
		th_msg(TH_EAUTH, "verification refused: hub.verify_token %s",
		    tok == NULL ? "missing" : "does not match");
	}
	if (tok != NULL) {
		explicit_bzero(tok, strlen(tok));
		free(tok);
	}
	if (!rc)
		return TH_EAUTH;
	/* sent back as the body: digits only, so it can carry nothing else */
	chal = param(r->query, "hub.challenge");
	len = chal != NULL ? strlen(chal) : 0;
	if (len == 0 || len > 64 || strspn(chal, "0123456789") != len) {
		free(chal);
		refuse(r, 400, "Bad Request", TH_EDATA);
		return th_msg(TH_EDATA, "verification refused: hub.challenge is "
		    "not 1 to 64 digits");
	}
	reply(r, 200, "OK", chal);
	free(chal);
	if (th_opts.verbose)
		th_msg(0, "verification answered");
	return 0;
}

/* Does sig ("sha256=" and 64 hex digits) sign body with the app secret? */
static int
signedby(const char *sig, const char *body, size_t len)
{
	unsigned char want[EVP_MAX_MD_SIZE], got[SHA256_DIGEST_LENGTH];
	unsigned int wlen = 0;
	size_t i;
	int eq;

	if (strncmp(sig, "sha256=", 7) != 0 || strlen(sig + 7) != 2 * sizeof(got))
		return 0;
	for (i = 0; i < sizeof(got); i++) {
		int hi = hexval((unsigned char)sig[7 + 2 * i]),
		    lo = hexval((unsigned char)sig[8 + 2 * i]);
		if (hi < 0 || lo < 0)
			return 0;
		got[i] = (unsigned char)(hi << 4 | lo);
	}
	if (HMAC(EVP_sha256(), th_cfg.client_secret, (int)strlen(th_cfg.client_secret),
	    (const unsigned char *)body, len, want, &wlen) == NULL ||
	    wlen != sizeof(got))
		return 0;
	eq = CRYPTO_memcmp(want, got, sizeof(got)) == 0;
	explicit_bzero(want, sizeof(want));
	return eq;
}

/* rec (consumed) with the members of the envelope env (borrowed) but
 * values, and but the names th's record gives itself. */
static jv
envelope(jv rec, jv env)
{
	jv_object_foreach(env, k, v) {
		const char *ks = jv_string_value(k);
		if (strcmp(ks, "values") != 0 && strcmp(ks, "field") != 0 &&
		    strcmp(ks, "value") != 0 && strcmp(ks, "received") != 0)
			rec = jv_object_set(rec, k, v);
		else {
			jv_free(k);
			jv_free(v);
		}
	}
	return rec;
}

/*
 * The records of a delivery: for each element of values (an object in
 * the docs, an array in live deliveries), {field, value, the envelope's
 * other members as sent, received}, one NDJSON line each. Consumes env.
 * Returns the number of lines in *lines (malloc'd), or -1 when the
 * delivery is not one.
 */
static int
records(jv env, char ***lines)
{
	char when[32], *s;
	jv vals, rec;
	time_t now = time(NULL);
	int n = 0, len;

	*lines = NULL;
	th_time_format((long long)now, when);
	vals = th_jv_get(env, "values");
	if (jv_get_kind(vals) == JV_KIND_OBJECT)
		vals = jv_array_append(jv_array(), vals);
	if (jv_get_kind(vals) != JV_KIND_ARRAY) {
		jv_free(vals);
		jv_free(env);
		return -1;
	}
	len = jv_array_length(jv_copy(vals));
	if ((*lines = calloc(len + 1, sizeof(**lines))) == NULL)
		th_die(TH_EIO, "out of memory");
	jv_array_foreach(vals, i, v) {
		jv f = th_jv_get(v, "field");
		if (jv_get_kind(f) != JV_KIND_STRING) {
			jv_free(f);
			jv_free(v);
			n = -1;
			break;
		}
		rec = jv_object_set(jv_object(), jv_string("field"), f);
		rec = jv_object_set(rec, jv_string("value"), th_jv_get(v, "value"));
		jv_free(v);
		rec = envelope(rec, env);
		rec = jv_object_set(rec, jv_string("received"), jv_string(when));
		if ((s = th_json_dump(rec)) == NULL ||
		    asprintf(&(*lines)[n], "%s\n", s) == -1) {
			free(s);
			n = -1;
			break;
		}
		free(s);
		n++;
	}
	jv_free(vals);
	jv_free(env);
	return n;
}

static void
freelines(char **lines)
{
	char **p;

	for (p = lines; p != NULL && *p != NULL; p++)
		free(*p);
	free(lines);
}

/* Open the spool and lock it; reopen when a reader moved it away while
 * this one waited, so that no event goes into a file already taken. */
static int
spoolopen(const char *path)
{
	struct stat fst, pst;
	int fd;

	for (;;) {
		if ((fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC,
		    0600)) == -1)
			return -1;
		while (flock(fd, LOCK_EX) == -1)
			if (errno != EINTR) {
				close(fd);
				return -1;
			}
		if (fstat(fd, &fst) == 0 && stat(path, &pst) == 0 &&
		    fst.st_dev == pst.st_dev && fst.st_ino == pst.st_ino)
			return fd;
		close(fd);
	}
}

/* Append the lines, each in one write(2), all or none: an event that is
 * answered 200 is never sent again, one answered 500 is. */
static int
spool(char **lines)
{
	struct stat st;
	char last = '\n', **p;
	ssize_t w;
	size_t len;
	int fd, rc = 0;

	if ((fd = spoolopen(spoolpath)) == -1 || fstat(fd, &st) == -1 ||
	    (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)) {
		rc = th_msg(TH_EIO, "spool %s: %s", spoolpath, strerror(errno));
		goto out;
	}
	/* a line cut short by a crash is ended, not glued to the next */
	if (last != '\n' && write(fd, "\n", 1) != 1) {
		rc = th_msg(TH_EIO, "spool %s: %s", spoolpath, strerror(errno));
		goto out;
	}
	for (p = lines; *p != NULL; p++) {
		len = strlen(*p);
		while ((w = write(fd, *p, len)) == -1 && errno == EINTR)
			;
		if (w != (ssize_t)len) {
			rc = th_msg(TH_EIO, "spool %s: %s", spoolpath, w == -1 ?
			    strerror(errno) : "short write");
			break;
		}
	}
	/* before the 200: Meta does not send an acknowledged event again */
	if (rc == 0 && fdatasync(fd) == -1)
		rc = th_msg(TH_EIO, "spool %s: %s", spoolpath, strerror(errno));
	if (rc != 0 && ftruncate(fd, st.st_size) == -1)
		th_msg(0, "warning: spool %s: a delivery cut short could not be "
		    "taken back: %s", spoolpath, strerror(errno));
out:
	if (fd != -1)
		close(fd);
	return rc;
}

/* Run cmd with line on its stdin; its stdout goes to stderr, never into
 * the answer. The secrets th-hook holds are not in its environment. */
static int
runcmd(const char *line)
{
	int p[2], st;
	size_t len = strlen(line);
	ssize_t w;
	pid_t pid;

	if (pipe(p) == -1 || (pid = fork()) == -1)
		return th_msg(TH_EIO, "--exec: %s", strerror(errno));
	if (pid == 0) {
		close(p[1]);
		if (dup2(p[0], STDIN_FILENO) == -1 ||
		    dup2(STDERR_FILENO, STDOUT_FILENO) == -1)
			_exit(127);
		close(p[0]);
		unsetenv("TH_CLIENT_SECRET");
		unsetenv("TH_HOOK_VERIFY_TOKEN");
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	while (len > 0) {
		if ((w = write(p[1], line, len)) == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			break;	/* it did not read it all: its status says */
		line += w;
		len -= (size_t)w;
	}
	close(p[1]);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return th_msg(TH_EIO, "--exec: %s", strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		return th_msg(TH_EFAIL, "--exec: the command exited %d",
		    WEXITSTATUS(st));
	return th_msg(TH_EFAIL, "--exec: the command was killed by signal %d",
	    WTERMSIG(st));
}

/* POST: an event delivery. */
static int
deliver(struct req *r)
{
	char *body, **lines, **p;
	jv env;
	int n, rc = 0;

	if (th_cfg.client_secret[0] == '\0') {
		refuse(r, 500, "Internal Server Error", TH_ECONFIG);
		return th_msg(TH_ECONFIG, "no app secret to check signatures: set "
		    "client_secret in a private config file, or TH_CLIENT_SECRET");
	}
	if (r->clen < 0)
		return th_msg(refuse(r, 411, "Length Required", TH_EDATA),
		    "POST: no Content-Length");
	if (r->clen > MAXBODY)
		return th_msg(refuse(r, 413, "Payload Too Large", TH_EDATA),
		    "POST: a body of %lld bytes is over the limit of %ld",
		    r->clen, MAXBODY);
	if (r->sig[0] == '\0')
		return th_msg(refuse(r, 403, "Forbidden", TH_EAUTH),
		    "POST refused: no X-Hub-Signature-256");
	if (r->expect) {
		printf("HTTP/1.1 100 Continue\r\n\r\n");
		fflush(stdout);
	}
	body = malloc(r->clen + 1);
	if (body == NULL)
		th_die(TH_EIO, "out of memory");
	if (fread(body, 1, r->clen, stdin) != (size_t)r->clen) {
		free(body);
		return th_msg(refuse(r, 400, "Bad Request", TH_EDATA),
		    "POST: the body is cut short (%lld bytes announced)", r->clen);
	}
	body[r->clen] = '\0';
	if (!signedby(r->sig, body, r->clen)) {
		free(body);
		return th_msg(refuse(r, 403, "Forbidden", TH_EAUTH),
		    "POST refused: X-Hub-Signature-256 does not sign the body "
		    "with client_secret");
	}
	env = th_json_parse(body, r->clen);
	free(body);
	if (jv_get_kind(env) != JV_KIND_OBJECT) {
		jv_free(env);
		return th_msg(refuse(r, 400, "Bad Request", TH_EDATA),
		    "POST: the body is not a JSON object");
	}
	if ((n = records(env, &lines)) < 0) {
		freelines(lines);
		return th_msg(refuse(r, 400, "Bad Request", TH_EDATA),
		    "POST: values is not an object or a list of {field, value}");
	}
	if (n > 0 && cmd == NULL)
		rc = spool(lines);
	for (p = lines; cmd != NULL && *p != NULL && rc == 0; p++)
		rc = runcmd(*p);
	freelines(lines);
	if (rc != 0)
		return refuse(r, 500, "Internal Server Error", rc);
	reply(r, 200, "OK", "OK\n");
	if (th_opts.verbose)
		th_msg(0, "%d event%s to %s", n, n == 1 ? "" : "s",
		    cmd != NULL ? "the command" : spoolpath);
	return 0;
}

int
main(int argc, char **argv)
{
	struct req r = { 0 };
	const char *spoolopt = NULL;
	int c, rc;

	/* a web server runs it under the name of a link: logs say th-hook */
	setprogname("th-hook");
	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SPOOL:
			spoolopt = optarg;
			break;
		case OPT_EXEC:
			cmd = optarg;
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	if (optind != argc || (spoolopt != NULL && cmd != NULL))
		usage(TH_EUSAGE);
	/* the command line first, then the configuration */
	if (spoolopt == NULL && cmd == NULL && th_cfg.hook_exec[0] != '\0')
		cmd = th_cfg.hook_exec;
	if (spoolopt != NULL) {
		if (strlcpy(spoolpath, spoolopt, sizeof(spoolpath)) >= sizeof(spoolpath))
			th_die(TH_EUSAGE, "--spool: path too long");
	} else if (th_cfg.hook_spool[0] != '\0')
		strlcpy(spoolpath, th_cfg.hook_spool, sizeof(spoolpath));
	else if ((size_t)snprintf(spoolpath, sizeof(spoolpath), "%s/hooks.ndjson",
	    th_cfg.state_dir) >= sizeof(spoolpath))
		th_die(TH_ECONFIG, "%s: path too long", th_cfg.state_dir);
	else if (cmd == NULL && th_store_mkdirs(th_cfg.state_dir, 0700) == -1)
		th_die(TH_EIO, "%s: %s", th_cfg.state_dir, strerror(errno));
	/* a command that stops reading must not end th-hook unanswered */
	signal(SIGPIPE, SIG_IGN);
	alarm(DEADLINE);

	rc = getenv("GATEWAY_INTERFACE") != NULL ? fromcgi(&r) : fromstdin(&r);
	if (rc != 0)
		refuse(&r, 400, "Bad Request", rc);
	else if (strcmp(r.method, "GET") == 0)
		rc = verify(&r);
	else if (strcmp(r.method, "POST") == 0)
		rc = deliver(&r);
	else
		rc = th_msg(refuse(&r, 405, "Method Not Allowed", TH_EDATA),
		    "%s: only GET and POST are answered", r.method);
	free(r.query);
	th_exit(rc);
}
