/*
 * cli: what every verb does the same way, at the top of libth. Options
 * common to all verbs, the start-up that hands the layers below what the
 * command line and the configuration say (http its settings, api where
 * its token comes from), and the item loop over operands or stdin. The
 * exit that checks that stdout really got written is th_exit() (msg.c),
 * which runs the output's finish registered here.
 */
#include <sys/resource.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#ifndef TH_JQ_VERSION
#define TH_JQ_VERSION "unknown"
#endif

#include "api.h"
#include "auth.h"
#include "cli.h"
#include "config.h"
#include "http.h"
#include "json.h"
#include "out.h"
#include "show.h"

static void (*usagefn)(int);
static const char *jqfilter;	/* --jq, or NULL */
static int json;		/* --json or TH_JSON: NDJSON on a terminal too */

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
		th_msg_json(1);
	if ((e = getenv("TH_JSON")) != NULL && e[0] != '\0' && strcmp(e, "0") != 0)
		json = 1;
	/* first registered, so run last: whatever dies on the way out,
	 * stdout is still flushed and checked (--version, usage too) */
	th_atexit_status(th_out_exit);
	if ((rc = th_config_load()) != 0)
		th_exit(rc);
}

long
th_cli_number(const char *s, const char *opt, long min, long max)
{
	const char *errstr;
	long long n = strtonum(s, min, max, &errstr);

	if (errstr != NULL)
		th_die(TH_EUSAGE, "%s '%s': %s (%ld..%ld)", opt, s, errstr, min, max);
	return (long)n;
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
		jqfilter = arg;
		return 1;
	case TH_OPT_JSON:
		json = 1;
		return 1;
	case TH_OPT_ERRORS:
		if (strcmp(arg, "json") == 0)
			th_msg_json(1);
		else if (strcmp(arg, "text") == 0)
			th_msg_json(0);
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

/* A record for a person at a terminal, as th-show draws it alone. */
static int
draw(struct th_buf *b, jv rec)
{
	static struct th_show o;
	static int ready;

	/* not before the first record: th_show_term() sets LC_CTYPE */
	if (!ready) {
		th_show_term(&o, STDOUT_FILENO, 0);
		ready = 1;
	}
	o.now = time(NULL);	/* th-timeline -f runs for hours */
	th_show_record(b, &o, rec, 0);
	return 0;
}

void
th_cli_ready(void)
{
	int rc;

	if ((rc = th_out_init(jqfilter)) != 0)
		th_exit(rc);
	/* a filter's output is the user's own format, never drawn */
	if (!json && jqfilter == NULL)
		th_out_render(draw);
	/* after the options: -v comes with them */
	if (th_http_configure(&(struct th_http_conf){
		.api_base = th_cfg.api_base,
		.timeout = th_cfg.timeout,
		.connect_timeout = th_cfg.connect_timeout,
		.low_speed_time = th_cfg.low_speed_time,
		.retries = th_cfg.retries,
		.backoff_ms = th_cfg.backoff_ms,
		.max_body = th_cfg.max_body,
		.fedi_connect = th_cfg.fedi_connect,
		.ca_file = th_cfg.test_ca,
		.verbose = th_opts.verbose,
	}) != 0)
		th_die(TH_ECONFIG, "the API base, fedi_connect or TH_TEST_CA is too long");
	/* looked up on the first request that needs it, never here: th-list
	 * needs none, th-auth login must not read the stored one */
	th_api_token_provider(th_auth_provide);
}

static int
oneline(char *line, size_t len, long lineno, th_item_fn *fn, void *arg,
    long *items)
{
	jv rec;
	int rc;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (len == 0)
		return 0;
	(*items)++;
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
	return th_cli_items_or(NULL, argc, argv, fn, arg);
}

int
th_cli_items_or(const char *dflt, int argc, char **argv, th_item_fn *fn,
    void *arg)
{
	char *line = NULL, *d[1];
	size_t cap = 0;
	ssize_t n;
	long lineno = 0, items = 0;
	int i, rc, status = 0;

	if (argc == 0 && dflt != NULL && isatty(STDIN_FILENO)) {
		d[0] = (char *)dflt;
		return th_cli_items_or(NULL, 1, d, fn, arg);
	}
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
		rc = oneline(line, (size_t)n, lineno, fn, arg, &items);
		status = th_status_merge(status, rc);
		if (rc == TH_EIO || rc == TH_EAUTH || rc == TH_ETEMP)
			break;
	}
	if (ferror(stdin))
		status = th_status_merge(status,
		    th_msg(TH_EDATA, "stdin: %s", strerror(errno)));
	free(line);
	if (items > 0 || ferror(stdin))
		return status;
	/* cron and CI run verbs with an empty stdin: never silently */
	if (dflt != NULL) {
		d[0] = (char *)dflt;
		return th_cli_items_or(NULL, 1, d, fn, arg);
	}
	return th_msg(status, "nothing to do: no items on stdin");
}

static const char commonopts[] =
	    "  -h, --help              print this help and exit\n"
	    "      --version           print the version and exit\n"
	    "  -a, --account NAME      use the stored token of account NAME\n"
	    "  -v, --verbose           log requests and answers on stderr, redacted\n"
	    "      --jq FILTER         filter each record with jq; strings print raw\n"
	    "      --json              records as NDJSON even at a terminal\n"
	    "      --errors FORMAT     messages on stderr as json or text\n"
	    "      --token-file FILE   read the token from FILE (mode 0600)\n";

void
th_cli_usage(int status, const char *synopsis, const char *options)
{
	FILE *f = status ? stderr : stdout;

	fputs(synopsis, f);
	/* a usage error shows the synopsis; --help the whole of it */
	if (status == 0) {
		if (options[0] != '\0')
			fprintf(f, "\noptions:\n%s", options);
		fprintf(f, "\ncommon options:\n%s\nsee %s(1) and th(7)\n",
		    commonopts, getprogname());
	}
	th_exit(status);
}
