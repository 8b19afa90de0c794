/* cli: common options, start-up, the operand-or-stdin item loop. */
#ifndef TH_CLI_H
#define TH_CLI_H
#include <getopt.h>
#include <jv.h>

#include "msg.h"

/* Long-only common options; short ones are -h, -a, -v. */
enum {
	TH_OPT_VERSION = 0x100, TH_OPT_JQ, TH_OPT_ERRORS, TH_OPT_TOKEN_FILE,
	TH_OPT_JSON,
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
	{ "token-file",	required_argument,	NULL, TH_OPT_TOKEN_FILE }, \
	{ "json",	no_argument,		NULL, TH_OPT_JSON }

/*
 * Start a verb: load the configuration (exits 78 on a bad one), remember
 * usage() for th_cli_common(), and have th_exit() flush and check stdout
 * (74 when it cannot be written). Call before getopt_long().
 */
void th_cli_init(int argc, char **argv, void (*usage)(int));
/*
 * A verb's usage(): the synopsis (on stderr with a non-zero status);
 * with status 0 (--help) on stdout, followed by the verb's options, one
 * a line, the common ones, and the man page to read. Exits with status.
 */
void th_cli_usage(int status, const char *synopsis, const char *options)
    __attribute__((noreturn));
/* Handle a common option c. Returns 1 when handled, 0 if c is not common. */
int th_cli_common(int c, const char *arg);
/* Option opt's number s, from min to max; else exits 64 saying so. */
long th_cli_number(const char *s, const char *opt, long min, long max);
/*
 * After option parsing: set up the output filter (exits 64 if it is
 * bad), tell http its settings (the configuration and -v), and give api
 * auth's token look-up, asked on the first request that needs a token.
 * Records go to a terminal as th-show draws them, unless --jq, --json or
 * TH_JSON (set, not empty, not 0) says otherwise; a verb whose output is
 * not records (th-api: the API's answer) calls th_out_render(NULL) after.
 */
void th_cli_ready(void);

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
/*
 * The same, for a verb with a natural default item (th-whois: "me"): dflt
 * stands in when there are no operands and stdin is a terminal or holds
 * no items. Without one (th_cli_items), an empty stdin is "nothing to do"
 * on stderr and status 0, never silence.
 */
int th_cli_items_or(const char *dflt, int argc, char **argv, th_item_fn *fn,
    void *arg);
#endif
