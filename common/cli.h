/* cli: common options, messages, the operand-or-stdin item loop, exit. */
#ifndef TH_CLI_H
#define TH_CLI_H
#include <getopt.h>
#include <jv.h>

/* Exit statuses (sysexits.h), the same in every verb; see th(7). */
enum {
	TH_OK = 0,
	TH_EFAIL = 1,		/* refused by the API, or some items failed */
	TH_EUSAGE = 64,
	TH_EDATA = 65,		/* bad input data */
	TH_EUNAVAIL = 69,	/* service unavailable after retries */
	TH_EIO = 74,		/* cannot write output */
	TH_ETEMP = 75,		/* rate limited, quota: try later */
	TH_EAUTH = 77,		/* no token, expired, no permission */
	TH_ECONFIG = 78,
};

/* Long-only common options; short ones are -h, -a, -v. */
enum {
	TH_OPT_VERSION = 0x100, TH_OPT_JQ, TH_OPT_ERRORS, TH_OPT_TOKEN_FILE,
	TH_OPT_VERB		/* first value free for a verb's own options */
};

#define TH_CLI_SHORTOPTS "ha:v"
#define TH_CLI_LONGOPTS \
	{ "help",	no_argument,		NULL, 'h' }, \
	{ "version",	no_argument,		NULL, TH_OPT_VERSION }, \
	{ "account",	required_argument,	NULL, 'a' }, \
	{ "verbose",	no_argument,		NULL, 'v' }, \
	{ "jq",		required_argument,	NULL, TH_OPT_JQ }, \
	{ "errors",	required_argument,	NULL, TH_OPT_ERRORS }, \
	{ "token-file",	required_argument,	NULL, TH_OPT_TOKEN_FILE }

struct th_cli {
	int		 verbose;
	const char	*jq;	/* --jq filter or NULL */
};
extern struct th_cli th_opts;

/*
 * Start a verb: load the configuration (exits 78 on a bad one) and
 * remember usage() for th_cli_common(). Call before getopt_long().
 */
void th_cli_init(int argc, char **argv, void (*usage)(int));
/* Handle a common option c. Returns 1 when handled, 0 if c is not common. */
int th_cli_common(int c, const char *arg);
/* After option parsing: set up the output filter; exits 64 if it is bad. */
void th_cli_ready(void);

/* Print "prog: message" (or one JSON object with --errors=json) on stderr,
 * redacted; returns status so that callers can `return th_msg(...)`. */
int th_msg(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, with the API's error object detail (borrowed) added to the JSON. */
int th_msgj(int status, jv detail, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* strdup that dies (74) when out of memory; NULL stays NULL. */
char *th_strdup(const char *s);
/* Replace the string *dst with a copy of s (NULL: none), freeing the old. */
void th_setstr(char **dst, const char *s);
/* th_msg() then th_exit(status). */
void th_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Flush and check stdout, free what libth holds, exit. A write error wins. */
void th_exit(int status) __attribute__((noreturn));

/*
 * The item loop. Items are the operands; with none and stdin not a tty,
 * the lines of stdin: a bare item, or an NDJSON record (a line starting
 * with '{'). fn gets the item text (NULL for a record) and the record
 * (jv_null() for a bare item; borrowed). A malformed line is reported with
 * its number and counts as status 65; fn's non-zero statuses are
 * remembered and the loop goes on, except TH_EIO, TH_EAUTH and TH_ETEMP
 * (no output, no token, no quota: the next items would fare no better).
 * Returns the worst status.
 */
typedef int th_item_fn(const char *item, jv rec, void *arg);
int th_cli_items(int argc, char **argv, th_item_fn *fn, void *arg);
/* Combine two statuses: the first failure that is not 1 wins over 1. */
int th_status_merge(int a, int b);
#endif
