/*
 * th-show: NDJSON records for a person at a terminal.
 *
 *	th-timeline | th-show
 *
 * The one verb whose output is not NDJSON. Posts get a header (@user,
 * whose post a repost repeats, the time in the local zone or with --utc
 * in UTC, also relative on a terminal), their text wrapped to the width,
 * media and permalink; a reply whose parent is in the input is shown
 * indented under it. Profiles, th-stats records and quotas get a line or two; a
 * th-stats time series becomes one sparkline. Post text is untrusted:
 * control characters, escape sequences and bidi overrides are shown as
 * visible text (^[ ^G <U+202E>), never passed to the terminal. The
 * renderer is common/show.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "show.h"

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "width",	required_argument,	NULL, 'w' },
	{ "utc",	no_argument,		NULL, 'U' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-show [-w width] < records.ndjson\n",
	    "  -w, --width WIDTH       wrap at WIDTH columns (default: the terminal's)\n"
	    "      --utc               times in UTC, not in the local zone (TZ)\n");
}

static int utc;	/* --utc: times in UTC, not in the local zone */

/* The options; returns the width asked for (0 when none). */
static int
options(int argc, char **argv)
{
	const char *errstr;
	int c, width = 0;

	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "w:", longopts, NULL)) != -1) {
		if (c == 'w') {
			width = (int)strtonum(optarg, 20, 1000, &errstr);
			if (errstr != NULL)
				th_die(TH_EUSAGE, "-w '%s': %s (20..1000)", optarg, errstr);
		} else if (c == 'U')
			utc = 1;
		else if (!th_cli_common(c, optarg))
			usage(TH_EUSAGE);
	}
	if (optind != argc)
		usage(TH_EUSAGE);
	return width;
}

int
main(int argc, char **argv)
{
	struct th_ndjson nd;
	struct th_show o;
	int rc, st = 0;
	jv rec, recs = jv_array();

	th_cli_init(argc, argv, usage);
	th_show_term(&o, STDOUT_FILENO, options(argc, argv));
	o.utc = utc;

	/* all of it first: a reply may come before its parent */
	th_ndjson_open(&nd, stdin, "stdin");
	while ((rc = th_ndjson_next(&nd, &rec)) != 0) {
		if (rc == 1)
			recs = jv_array_append(recs, rec);
		else
			st = TH_EDATA;
	}
	th_ndjson_close(&nd);
	if (st == 0 && jv_array_length(jv_copy(recs)) == 0)
		th_msg(0, "nothing to do: no records on stdin");

	/* a reader gone away (EPIPE) is an end, not news, as in out.c */
	if (th_show_all(&o, recs, stdout) == -1 && errno != EPIPE)
		st = th_msg(TH_EIO, "cannot write output: %s", strerror(errno));
	jv_free(recs);
	th_exit(st);
}
