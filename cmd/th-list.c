/*
 * th-list: lists of sources, kept as plain files.
 *
 *	th-list                             the lists: {list, count}
 *	th-list [show] [--check] name ...   members: {list, source}
 *	th-list create name ...
 *	th-list add name [source ...]       stdin when no source is given
 *	th-list rm name [source ...]
 *	th-list delete name ...
 *	th-list rename old new
 *
 * th-follow is the same grammar for the list named "following".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "list.h"

enum { OPT_CHECK = TH_OPT_VERB };

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "check",	no_argument,	NULL, OPT_CHECK },
	{ NULL, 0, NULL, 0 }
};

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-list [-v] [--jq filter]\n"
	    "       th-list [show] [--check] name ...\n"
	    "       th-list create name ...\n"
	    "       th-list add name [source ...]\n"
	    "       th-list rm name [source ...]\n"
	    "       th-list delete name ...\n"
	    "       th-list rename old new\n"
	    "sources: me, mentions, @user, #tag, list:NAME, @user@host,\n"
	    "         https://host/actor (fediverse)\n",
	    "      --check             show: print members that are gone or not public\n");
}

int
main(int argc, char **argv)
{
	const char *cmd;
	char **src;
	int c, i, n, rc = 0, check = 0;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CHECK:
			check = 1;
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	th_cli_ready();

	if (argc == 0) {
		if (check)
			usage(TH_EUSAGE);
		th_exit(th_list_all());
	}
	cmd = argv[0];
	if (strcmp(cmd, "add") == 0 || strcmp(cmd, "rm") == 0 ||
	    strcmp(cmd, "remove") == 0) {
		if (argc < 2 || check)
			usage(TH_EUSAGE);
		/* every source valid, or nothing is written */
		if ((rc = th_list_gather(argc - 2, argv + 2, &src, &n)) != 0)
			th_exit(rc);
		rc = cmd[0] == 'a' ? th_list_add(argv[1], src, n) :
		    th_list_rm(argv[1], src, n, 0);
		th_list_gather_free(src, n);
		th_exit(rc);
	}
	if (strcmp(cmd, "rename") == 0) {
		if (argc != 3 || check)
			usage(TH_EUSAGE);
		th_exit(th_list_rename(argv[1], argv[2]));
	}
	if (strcmp(cmd, "create") == 0 || strcmp(cmd, "delete") == 0) {
		if (argc < 2 || check)
			usage(TH_EUSAGE);
		for (i = 1; i < argc && rc != TH_EIO; i++)
			rc = th_status_merge(rc, cmd[0] == 'c' ?
			    th_list_create(argv[i]) : th_list_delete(argv[i]));
		th_exit(rc);
	}
	/* show, or a bare list name */
	i = strcmp(cmd, "show") == 0;
	if (i && argc < 2)
		usage(TH_EUSAGE);
	for (; i < argc && rc != TH_EIO; i++)
		rc = th_status_merge(rc, th_list_show(argv[i], check, 0));
	th_exit(rc);
}
