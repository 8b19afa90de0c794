/*
 * cli: what every verb does the same way. Options common to all verbs,
 * messages in the form "th-verb: what failed: why" (or JSON objects with
 * --errors=json), the item loop over operands or stdin, and the exit that
 * checks that stdout really got written.
 */
#include <sys/resource.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#ifndef TH_JQ_VERSION
#define TH_JQ_VERSION "unknown"
#endif

#include "ap.h"
#include "api.h"
#include "cli.h"
#include "config.h"
#include "http.h"
#include "json.h"
#include "out.h"
#include "secret.h"

struct th_cli th_opts;

static void (*usagefn)(int);
static int jsonerrors;

void
th_cli_init(int argc, char **argv, void (*usage)(int))
{
	const char *e;
	int rc;

	(void)argc;
	(void)argv;
	/* a core dump would hold the token: th never leaves one */
	setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
	usagefn = usage;
	if ((e = getenv("TH_ERRORS")) != NULL && strcmp(e, "json") == 0)
		jsonerrors = 1;
	if ((rc = th_config_load()) != 0)
		th_exit(rc);
}

int
th_cli_common(int c, const char *arg)
{
	switch (c) {
	case 'h':
		usagefn(0);
		return 1;
	case TH_OPT_VERSION:
		/* curl_version() neither initialises libcurl nor reads a CA
		 * bundle: --version stays as cheap as the verb's start-up */
		printf("%s %s (libcurl %s, libjq %s)\n", getprogname(),
		    PACKAGE_VERSION, curl_version_info(CURLVERSION_NOW)->version,
		    TH_JQ_VERSION);
		th_exit(0);
	case 'a':
		if (strlcpy(th_cfg.account, arg, sizeof(th_cfg.account)) >=
		    sizeof(th_cfg.account))
			th_die(TH_EUSAGE, "account name too long");
		th_cfg.account_opt = 1;
		return 1;
	case 'v':
		th_opts.verbose++;
		return 1;
	case TH_OPT_JQ:
		th_opts.jq = arg;
		return 1;
	case TH_OPT_ERRORS:
		if (strcmp(arg, "json") == 0)
			jsonerrors = 1;
		else if (strcmp(arg, "text") == 0)
			jsonerrors = 0;
		else
			th_die(TH_EUSAGE, "--errors: want json or text, not '%s'", arg);
		return 1;
	case TH_OPT_TOKEN_FILE:
		if (strlcpy(th_cfg.token_file, arg, sizeof(th_cfg.token_file)) >=
		    sizeof(th_cfg.token_file))
			th_die(TH_EUSAGE, "--token-file: path too long");
		th_cfg.token_file_opt = 1;
		return 1;
	case '?':
	case ':':
		usagefn(TH_EUSAGE);
		return 1;
	}
	return 0;
}

void
th_cli_ready(void)
{
	int rc;

	if ((rc = th_out_init(th_opts.jq)) != 0)
		th_exit(rc);
}

static int
vmsg(int status, jv detail, const char *fmt, va_list ap)
{
	char *raw = NULL, *red;
	int n;

	if ((n = vasprintf(&raw, fmt, ap)) == -1)
		return status;
	red = th_redact(raw, (size_t)n);
	free(raw);
	if (red == NULL)
		return status;
	fflush(stdout);
	if (jsonerrors) {
		jv o = jv_object();
		char *s;

		o = jv_object_set(o, jv_string("program"), jv_string(getprogname()));
		o = jv_object_set(o, jv_string("message"), jv_string(red));
		o = jv_object_set(o, jv_string("exit"), jv_number(status));
		if (jv_get_kind(detail) == JV_KIND_OBJECT)
			o = jv_object_set(o, jv_string("api"), jv_copy(detail));
		s = th_json_dump(o);
		if (s != NULL) {
			char *r = th_redact(s, strlen(s));
			if (r != NULL)
				fprintf(stderr, "%s\n", r);
			free(r);
			free(s);
		}
	} else
		fprintf(stderr, "%s: %s\n", getprogname(), red);
	free(red);
	return status;
}

int
th_msg(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(status, jv_null(), fmt, ap);
	va_end(ap);
	return status;
}

int
th_msgj(int status, jv detail, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(status, detail, fmt, ap);
	va_end(ap);
	return status;
}

void
th_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(status, jv_null(), fmt, ap);
	va_end(ap);
	th_exit(status);
}

void
th_exit(int status)
{
	int orc = th_out_finish();

	/* a write error wins; a --jq filter that failed is one more item
	 * that failed */
	status = orc == TH_EIO ? orc : th_status_merge(status, orc);
	th_api_cleanup();
	th_ap_cleanup();
	th_http_cleanup();
	th_secret_wipe();
	explicit_bzero(th_cfg.client_secret, sizeof(th_cfg.client_secret));
	exit(status);
}

int
th_status_merge(int a, int b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	if (a == TH_EFAIL)
		return b;
	return a;
}

static int
oneline(char *line, size_t len, long lineno, th_item_fn *fn, void *arg)
{
	jv rec;
	int rc;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (len == 0)
		return 0;
	if (memchr(line, '\0', len) != NULL)
		return th_msg(TH_EDATA, "stdin:%ld: NUL byte in input", lineno);
	if (len > TH_NDJSON_MAX)
		return th_msg(TH_EDATA, "stdin:%ld: a line of %zu bytes is too long",
		    lineno, len);
	if (line[0] != '{')
		return fn(line, jv_null(), arg);
	rec = th_json_parse(line, len);
	if (!jv_is_valid(rec)) {
		jv m = jv_invalid_get_msg(rec);
		rc = th_msg(TH_EDATA, "stdin:%ld: malformed JSON: %s", lineno,
		    jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) : "?");
		jv_free(m);
		return rc;
	}
	if (th_jv_hasnul(rec)) {
		jv_free(rec);
		return th_msg(TH_EDATA, "stdin:%ld: a string holds a NUL (\\u0000)",
		    lineno);
	}
	rc = fn(NULL, rec, arg);
	jv_free(rec);
	return rc;
}

int
th_cli_items(int argc, char **argv, th_item_fn *fn, void *arg)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int i, rc, status = 0;

	if (argc > 0) {
		for (i = 0; i < argc; i++) {
			rc = fn(argv[i], jv_null(), arg);
			status = th_status_merge(status, rc);
			if (rc == TH_EIO || rc == TH_EAUTH || rc == TH_ETEMP)
				break;
		}
		return status;
	}
	if (isatty(STDIN_FILENO))
		return th_msg(TH_EUSAGE, "no items: give operands or pipe them on stdin");
	while ((n = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		rc = oneline(line, (size_t)n, lineno, fn, arg);
		status = th_status_merge(status, rc);
		if (rc == TH_EIO || rc == TH_EAUTH || rc == TH_ETEMP)
			break;
	}
	if (ferror(stdin))
		status = th_status_merge(status,
		    th_msg(TH_EDATA, "stdin: %s", strerror(errno)));
	free(line);
	return status;
}

char *
th_strdup(const char *s)
{
	char *r;

	if (s == NULL)
		return NULL;
	if ((r = strdup(s)) == NULL)
		th_die(TH_EIO, "out of memory");
	return r;
}

void
th_setstr(char **dst, const char *s)
{
	free(*dst);
	*dst = th_strdup(s);
}
