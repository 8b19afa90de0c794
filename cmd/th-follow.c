/*
 * th-follow: follow and unfollow, locally. The Threads API has no follow
 * endpoint; th's follows are the list named "following", which
 * th-timeline reads when it is given no source.
 *
 *	th-follow [show] [--check]          the follows: {list, source}
 *	th-follow [add] source ...          follow (add alone: stdin)
 *	th-follow rm source ...             unfollow (rm alone: stdin)
 *	th-follow --intent @user ...        Threads' follow-intent URL
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "cli.h"
#include "list.h"
#include "out.h"

#define FOLLOWING	"following"
#define INTENT		"https://www.threads.com/intent/follow?username="

enum { OPT_CHECK = TH_OPT_VERB, OPT_INTENT };

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "check",	no_argument,	NULL, OPT_CHECK },
	{ "intent",	no_argument,	NULL, OPT_INTENT },
	{ NULL, 0, NULL, 0 }
};

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-follow [-v] [show] [--check] [--jq filter]\n"
	    "       th-follow [add] source ...\n"
	    "       th-follow rm source ...\n"
	    "       th-follow --intent @user ...\n"
	    "sources: @user, #tag, me, mentions, list:NAME, @user@host,\n"
	    "         https://host/actor (fediverse)\n",
	    "      --check             show: print follows that are gone or not public\n"
	    "      --intent            print Threads' follow-intent URL of each @user\n");
}

/* The only follow Threads offers: a page the user opens and clicks. */
static int
intents(char **src, int n)
{
	char *u, *url;
	int i, rc = 0;
	jv o;

	for (i = 0; i < n && rc == 0; i++) {
		if (src[i][0] != '@' || strchr(src[i] + 1, '@') != NULL) {
			rc = th_msg(TH_EDATA, "%s: a follow intent is for a Threads "
			    "@user", src[i]);
			break;
		}
		if ((u = curl_easy_escape(NULL, src[i] + 1, 0)) == NULL ||
		    asprintf(&url, "%s%s", INTENT, u) == -1)
			th_die(TH_EIO, "out of memory");
		curl_free(u);
		o = jv_object_set(jv_object(), jv_string("source"), jv_string(src[i]));
		o = jv_object_set(o, jv_string("url"), jv_string(url));
		free(url);
		rc = th_out_emit(o);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	char **src;
	int c, n, rc, check = 0, intent = 0, rm = 0, show = 0;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CHECK:
			check = 1;
			break;
		case OPT_INTENT:
			intent = 1;
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	th_cli_ready();

	if (argc > 0 && strcmp(argv[0], "show") == 0) {
		show = 1;
		argc--, argv++;
	} else if (argc > 0 && strcmp(argv[0], "add") == 0) {
		argc--, argv++;
		if (argc == 0)
			goto gather;	/* add alone: sources on stdin */
	} else if (argc > 0 && (strcmp(argv[0], "rm") == 0 ||
	    strcmp(argv[0], "remove") == 0)) {
		rm = 1;
		argc--, argv++;
		goto gather;
	}
	if (show || (argc == 0 && !intent)) {
		if (argc > 0 || intent)
			usage(TH_EUSAGE);
		th_exit(th_list_show(FOLLOWING, check, 1));
	}
gather:
	if (check)
		usage(TH_EUSAGE);
	if (intent && argc == 0)
		usage(TH_EUSAGE);
	/* every source valid, or nothing is written */
	if ((rc = th_list_gather(argc, argv, &src, &n)) != 0)
		th_exit(rc);
	if (intent)
		rc = intents(src, n);
	else if (rm)
		rc = th_list_rm(FOLLOWING, src, n, 1);
	else
		rc = th_list_add(FOLLOWING, src, n);
	th_list_gather_free(src, n);
	th_exit(rc);
}
