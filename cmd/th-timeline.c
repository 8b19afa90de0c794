/*
 * th-timeline: the timelines Threads does not have.
 *
 *	th-timeline [options] [source ...]
 *
 * Sources: me, mentions, replies (your own), ghosts (your ghost posts),
 * @user, #tag, list:NAME, @user@host or an actor's https URL (the
 * fediverse), a post's permalink (its conversation), pending:ID (the
 * replies it holds for approval); -r ID (a post's replies), -c ID (its
 * conversation), ID an id or a permalink. No source: the list "following"
 * (th-follow's), the home timeline. All of them are read at once and
 * merged into one NDJSON stream, newest first, each post once, with
 * "th_sources" naming where it came from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "json.h"
#include "list.h"
#include "permalink.h"
#include "timeline.h"

enum {
	OPT_INTERVAL = TH_OPT_TL_VERB
};

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	TH_TL_LONGOPTS,
	{ "parallel",	required_argument,	NULL, 'P' },
	{ "follow",	no_argument,		NULL, 'f' },
	{ "interval",	required_argument,	NULL, OPT_INTERVAL },
	{ "replies",	required_argument,	NULL, 'r' },
	{ "conversation", required_argument,	NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

static struct th_tl tl;

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-timeline [-fv] [-n count] [--since time] [--until time]\n"
	    "                   [--fields list] [--reverse] [-P parallel]\n"
	    "                   [--new name | --state file] [--interval secs]\n"
	    "                   [-r id] [-c id] [--jq filter] [source ...]\n"
	    "sources: me, mentions, replies, ghosts, @user, #tag, list:NAME,\n"
	    "         @user@host, https://host/actor, pending:ID (none: following)\n",
	    "  -n, --limit COUNT       at most COUNT posts; 100 without --since/--new/-f\n"
	    TH_TL_HELP
	    "  -P, --parallel N        at most N requests at once (default 50)\n"
	    "  -f, --follow            keep polling, print new posts until killed\n"
	    "      --interval SECONDS  with -f, poll every SECONDS (default 60)\n"
	    "  -r, --replies ID        the top-level replies of post ID, as a source\n"
	    "  -c, --conversation ID   every reply under post ID, as a source\n");
}

/* A canonical source into the timeline; called for list members too. */
static int
addsource(const char *src, void *arg)
{
	char label[TH_SRC_MAX + 16], u[32], sc[32], pid[32];
	jv p;
	int rc;

	if (th_permalink_parse(src, u, sizeof(u), sc, sizeof(sc))) {
		/* a post's permalink: its conversation */
		if ((rc = th_permalink_id(src, pid, sizeof(pid))) != 0)
			return rc;
		snprintf(label, sizeof(label), "conversation:%s", pid);
		return addsource(label, arg);
	}
	p = jv_object();

	(void)arg;
	if (strcmp(src, "me") == 0)
		th_tl_add(&tl, src, "me/threads", p, 1, 0);
	else if (strcmp(src, "mentions") == 0)
		th_tl_add(&tl, src, "me/mentions", p, 1, 0);
	else if (strcmp(src, "replies") == 0)
		th_tl_add(&tl, src, "me/replies", p, 1, 0);
	else if (strcmp(src, "ghosts") == 0) {
		p = jv_object_set(p, jv_string("fields"), jv_string(
		    "ghost_post_status,ghost_post_expiration_timestamp"));
		th_tl_add(&tl, src, "me/ghost_posts", p, 1, 0);
	} else if (strncmp(src, "pending:", 8) == 0 && !th_isid(src + 8)) {
		/* a permalink: the label holds the id, so that --new keeps
		 * one cursor however the post was named */
		jv_free(p);
		if ((rc = th_permalink_id(src + 8, pid, sizeof(pid))) != 0)
			return rc;
		snprintf(label, sizeof(label), "pending:%s", pid);
		return addsource(label, arg);
	} else if (strncmp(src, "pending:", 8) == 0) {
		/* pending only: ignored ones were seen and let be */
		snprintf(label, sizeof(label), "%s/pending_replies", src + 8);
		p = jv_object_set(p, jv_string("reverse"), jv_string("true"));
		p = jv_object_set(p, jv_string("approval_status"),
		    jv_string("pending"));
		p = jv_object_set(p, jv_string("fields"),
		    jv_string("reply_approval_status"));
		th_tl_add(&tl, src, label, p, 1, 0);
	} else if (src[0] == '#') {
		p = jv_object_set(p, jv_string("q"), jv_string(src + 1));
		p = jv_object_set(p, jv_string("search_mode"), jv_string("TAG"));
		p = jv_object_set(p, jv_string("search_type"), jv_string("RECENT"));
		th_tl_add(&tl, src, "keyword_search", p, 1, 's');
	} else if ((src[0] == '@' && strchr(src + 1, '@') != NULL) ||
	    strncmp(src, "https://", 8) == 0) {
		jv_free(p);
		th_tl_add(&tl, src, src, jv_null(), 1, 'f');
	} else if (src[0] == '@') {
		p = jv_object_set(p, jv_string("username"), jv_string(src + 1));
		th_tl_add(&tl, src, "profile_posts", p, 1, 'u');
	} else if (strncmp(src, "replies:", 8) == 0 ||
	    strncmp(src, "conversation:", 13) == 0) {
		const char *id = strchr(src, ':') + 1;
		snprintf(label, sizeof(label), "%s/%s", id, src[0] == 'r' ?
		    "replies" : "conversation");
		p = jv_object_set(p, jv_string("reverse"), jv_string("true"));
		th_tl_add(&tl, src, label, p, 1, 0);
	} else {
		jv_free(p);
		return th_msg(TH_EDATA, "%s: not a source", src);
	}
	return 0;
}

/* What the command line asks beside the timeline's settings. */
struct opts {
	const char	*newname, *statefile;	/* --new, --state */
	char		**posts;	/* the -r and -c ids, in order; argv's */
	int		*kinds;		/* 'r' or 'c', for each of posts */
	int		 nposts;
};

/* The options into tl and o; returns optind. */
static int
options(int argc, char **argv, struct opts *o)
{
	char u[32], sc[32];
	int c;

	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "n:P:fr:c:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'P':
			tl.parallel = (int)th_cli_number(optarg, "-P", 1, 64);
			break;
		case 'f':
			tl.follow = 1;
			break;
		case OPT_INTERVAL:
			tl.interval = th_cli_number(optarg, "--interval", 1, 86400);
			break;
		case 'r':
		case 'c':
			if (!th_isid(optarg) && !th_permalink_parse(optarg, u, sizeof(u),
			    sc, sizeof(sc)))
				th_die(TH_EUSAGE, "-%c '%s': not a post id or permalink",
				    c, optarg);
			if ((o->posts = reallocarray(o->posts, (size_t)o->nposts + 1,
			    sizeof(*o->posts))) == NULL || (o->kinds = reallocarray(o->kinds,
			    (size_t)o->nposts + 1, sizeof(*o->kinds))) == NULL)
				th_die(TH_EIO, "out of memory");
			o->posts[o->nposts] = optarg;
			o->kinds[o->nposts++] = c;
			break;
		default:
			if (!th_tl_option(&tl, c, optarg, &o->newname, &o->statefile) &&
			    !th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	return optind;
}

/* The sources named: the -r and -c posts, then the operands (a list's
 * members), every operand checked before anything is read. Returns the
 * worst status. */
static int
sources(int argc, char **argv, const struct opts *o)
{
	char out[TH_SRC_MAX], why[256], label[64], id[32];
	int i, k, rc = 0;

	for (i = 0; i < argc; i++)
		if (th_source(argv[i], 0, out, why, sizeof(why)) == TH_SRC_BAD)
			rc = th_msg(TH_EDATA, "%s", why);
	if (rc != 0)
		th_exit(rc);
	for (i = 0; i < o->nposts; i++) {
		/* an id as it is; a permalink is looked up */
		if ((k = th_permalink_id(o->posts[i], id, sizeof(id))) != 0) {
			rc = th_status_merge(rc, k);
			continue;
		}
		snprintf(label, sizeof(label), "%s:%s", o->kinds[i] == 'r' ? "replies" :
		    "conversation", id);
		addsource(label, NULL);
	}
	for (i = 0; i < argc; i++) {
		k = th_source(argv[i], 0, out, why, sizeof(why));
		if (k == TH_SRC_LIST)
			rc = th_status_merge(rc, th_list_expand(out + 5, addsource, NULL));
		else
			rc = th_status_merge(rc, addsource(out, NULL));
	}
	return rc;
}

/* No source named: the home timeline, what th-follow wrote. */
static int
home(void)
{
	struct th_list l;
	int rc;

	if ((rc = th_list_read("following", &l)) != 0)
		th_exit(rc);
	th_list_free(&l);
	rc = l.exists ? th_list_expand("following", addsource, NULL) : 0;
	if (tl.nsrc == 0) {
		th_msg(0, "you follow nothing yet, so there is no home timeline: "
		    "th-follow @user or #tag, or name sources");
		th_exit(rc);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o;
	char state[4096];
	int n, rc;

	memset(&tl, 0, sizeof(tl));
	memset(&o, 0, sizeof(o));
	tl.limit = -1;
	tl.parallel = 50;
	tl.interval = 60;
	tl.verb = "th-timeline";
	th_cli_init(argc, argv, usage);
	n = options(argc, argv, &o);
	argc -= n;
	argv += n;
	th_cli_ready();
	th_tl_check(&tl, o.newname, o.statefile, state, sizeof(state));
	/* without a window or a count, a plain run stops at 100 posts */
	if (tl.limit < 0 && tl.since == 0 && tl.state == NULL && !tl.follow)
		tl.limit = 100;

	rc = argc == 0 && o.nposts == 0 ? home() : sources(argc, argv, &o);
	free(o.posts);
	free(o.kinds);
	if (rc == TH_EIO || (tl.nsrc == 0 && rc != 0))
		th_exit(rc);
	rc = th_status_merge(th_tl_run(&tl), rc);
	th_tl_free(&tl);
	th_exit(rc);
}
