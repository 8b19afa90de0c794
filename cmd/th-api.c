/*
 * th-api: one authenticated request to any Threads endpoint.
 *
 *	th-api [-X METHOD] [--paginate] [common options] PATH [key=value ...]
 *
 * PATH is relative to the API root ("me/threads"; /v1.0 is added, the
 * token endpoints stay unversioned). key=value pairs go into the query
 * string (GET, DELETE) or the form body (POST). The answer is printed as
 * one NDJSON line; with --paginate, every item of every page's "data"
 * is one line, paged with cursors. Errors go to stderr, with the exit
 * status of th(7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "cli.h"
#include "out.h"

enum { OPT_PAGINATE = TH_OPT_VERB };

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "method",	required_argument,	NULL, 'X' },
	{ "paginate",	no_argument,		NULL, OPT_PAGINATE },
	{ NULL, 0, NULL, 0 }
};

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-api [-v] [-a account] [-X method] [--paginate] "
	    "[--jq filter]\n              [--errors=json] path [key=value ...]\n",
	    "  -X, --method METHOD     GET (the default), POST or DELETE\n"
	    "      --paginate          every item of every page, one per line\n");
}

/* key=value operands into an object; refuses secrets on argv. */
static jv
params(int argc, char **argv)
{
	static const char *const refused[] = {
		"access_token", "client_secret", "input_token", NULL
	};
	const char *const *r;
	jv o = jv_object();
	char *eq;
	int i;

	for (i = 0; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL || eq == argv[i]) {
			jv_free(o);
			th_die(TH_EUSAGE, "'%s': parameters are key=value", argv[i]);
		}
		for (r = refused; *r != NULL; r++)
			if ((size_t)(eq - argv[i]) == strlen(*r) &&
			    strncmp(argv[i], *r, strlen(*r)) == 0) {
				jv_free(o);
				th_die(TH_EUSAGE, "%s on the command line is refused: "
				    "other users can read it; use TH_ACCESS_TOKEN or "
				    "th-auth", *r);
			}
		o = jv_object_set(o, jv_string_sized(argv[i], (int)(eq - argv[i])),
		    jv_string(eq + 1));
	}
	return o;
}

/* The options: -X into *method, --paginate into *paginate; returns
 * optind. */
static int
options(int argc, char **argv, const char **method, int *paginate)
{
	int c;

	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "X:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'X':
			if (strcasecmp(optarg, "GET") == 0)
				*method = "GET";
			else if (strcasecmp(optarg, "POST") == 0)
				*method = "POST";
			else if (strcasecmp(optarg, "DELETE") == 0)
				*method = "DELETE";
			else
				th_die(TH_EUSAGE, "-X: want GET, POST or DELETE, "
				    "not '%s'", optarg);
			break;
		case OPT_PAGINATE:
			*paginate = 1;
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	return optind;
}

/* One request (params consumed); its answer is one line. */
static int
once(const char *method, const char *path, jv params)
{
	struct th_api_res res;
	int rc;

	if (th_api_call(method, path, params, &res) != 0) {
		rc = th_api_report(&res, path);
		th_api_res_free(&res);
		return rc;
	}
	rc = th_out_emit(jv_copy(res.body));
	th_api_res_free(&res);
	return rc;
}

/* GET every page (params consumed); each item of "data" is one line. */
static int
pages(const char *path, jv params)
{
	struct th_api_res res;
	struct th_pager pg;
	int c, rc = 0;
	jv item;

	th_pager_init(&pg, path, params);
	while ((c = th_pager_next(&pg, &item, &res)) == 1) {
		int orc = th_out_emit(item);

		rc = th_status_merge(rc, orc);
		if (orc == TH_EIO)
			break;
	}
	if (c == -1) {
		rc = th_status_merge(th_api_report(&res, path), rc);
		th_api_res_free(&res);
	}
	th_pager_free(&pg);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *method = "GET", *path;
	int n, paginate = 0;

	th_cli_init(argc, argv, usage);
	n = options(argc, argv, &method, &paginate);
	argc -= n;
	argv += n;
	if (argc < 1)
		usage(TH_EUSAGE);
	path = argv[0];
	if (paginate && strcmp(method, "GET") != 0)
		th_die(TH_EUSAGE, "--paginate works with GET only");
	th_cli_ready();
	th_out_render(NULL);	/* the API's answer as it is, as gh api prints it */
	if (paginate)
		th_exit(pages(path, params(argc - 1, argv + 1)));
	th_exit(once(method, path, params(argc - 1, argv + 1)));
}
