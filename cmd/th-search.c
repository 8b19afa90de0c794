/*
 * th-search: keyword or topic-tag search, as th-timeline's NDJSON; a
 * query that starts with '#' is a tag, as it is everywhere in th.
 *
 *	th-search [--tag] [--recent | --top] [--author user]
 *	          [--media TEXT|IMAGE|VIDEO] [--since t] [--until t] [-n N]
 *	          [--new name | --state file] query ...
 *	th-search --history                 {query, timestamp}: your recent searches
 *	th-search --place name | LAT,LON     places, for th-post --location
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "cli.h"
#include "json.h"
#include "list.h"
#include "out.h"
#include "publish.h"
#include "text.h"
#include "timeline.h"

enum {
	OPT_TAG = TH_OPT_TL_VERB, OPT_RECENT, OPT_TOP, OPT_AUTHOR, OPT_MEDIA,
	OPT_HISTORY, OPT_PLACE
};

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "tag",	no_argument,		NULL, OPT_TAG },
	{ "recent",	no_argument,		NULL, OPT_RECENT },
	{ "top",	no_argument,		NULL, OPT_TOP },
	{ "author",	required_argument,	NULL, OPT_AUTHOR },
	{ "media",	required_argument,	NULL, OPT_MEDIA },
	{ "history",	no_argument,		NULL, OPT_HISTORY },
	{ "place",	no_argument,		NULL, OPT_PLACE },
	TH_TL_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-search [-v] [--tag] [--recent | --top] [--author user]\n"
	    "                 [--media TEXT|IMAGE|VIDEO] [--since time] [--until time]\n"
	    "                 [-n count] [--fields list] [--reverse]\n"
	    "                 [--new name | --state file] [--jq filter] query ...\n"
	    "       th-search [-v] [-n count] [--jq filter] --history\n"
	    "       th-search [-v] [--jq filter] --place name | LAT,LON\n",
	    "      --tag               search a topic tag, not the text\n"
	    "      --recent            newest first (the default with --new)\n"
	    "      --top               most relevant first (the default)\n"
	    "      --author USER       only posts by USER\n"
	    "      --media TYPE        only TEXT, IMAGE or VIDEO posts\n"
	    "  -n, --limit COUNT       at most COUNT posts; 100 without --since/--new\n"
	    TH_TL_HELP
	    "      --history           your recently searched keywords, newest first\n"
	    "      --place             places by name or LAT,LON (location search)\n");
}

/* What the command line asks of the search, beside the timeline's. */
struct search {
	const char	*author, *media;	/* NULL: any */
	const char	*newname, *statefile;	/* --new, --state */
	int		 tag;		/* --tag: a topic, not keywords */
	int		 recent;	/* --recent 1, --top 0, -1 unsaid */
	int		 history;	/* --history: no search, the past ones */
	int		 place;		/* --place: places, not posts */
};

/* The options into tl and s; returns optind. */
static int
options(int argc, char **argv, struct th_tl *tl, struct search *s)
{
	int c;

	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "n:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_TAG:
			s->tag = 1;
			break;
		case OPT_RECENT:
			s->recent = 1;
			break;
		case OPT_TOP:
			s->recent = 0;
			break;
		case OPT_AUTHOR:
			s->author = optarg;
			break;
		case OPT_MEDIA:
			s->media = optarg;
			break;
		case OPT_HISTORY:
			s->history = 1;
			break;
		case OPT_PLACE:
			s->place = 1;
			break;
		default:
			if (!th_tl_option(tl, c, optarg, &s->newname, &s->statefile) &&
			    !th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	return optind;
}

/* The query: the operands joined by spaces, checked; a tag without its
 * '#'. malloc'd. */
static char *
query(int argc, char **argv, int tag)
{
	char *q, out[TH_SRC_MAX], why[256], t[TH_SRC_MAX + 2];
	size_t len;
	int i;

	for (i = 0, len = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((q = calloc(1, len)) == NULL)
		th_die(TH_EIO, "out of memory");
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strlcat(q, " ", len);
		strlcat(q, argv[i], len);
	}
	if (!th_text_utf8(q, strlen(q), NULL) || th_text_control(q, strlen(q)) >= 0)
		th_die(TH_EDATA, "the query has control characters or bad UTF-8");
	if (tag) {
		snprintf(t, sizeof(t), "#%s", q + (q[0] == '#'));
		if (th_source(t, 0, out, why, sizeof(why)) != TH_SRC_TAG)
			th_die(TH_EDATA, "%s", why);
		memmove(q, out + 1, strlen(out));
	}
	if (q[0] == '\0')
		th_die(TH_EUSAGE, "an empty query");
	return q;
}

/* --author and --media checked and made canonical: the user name into
 * out (TH_SRC_MAX bytes), the media type in capitals. */
static void
filters(struct search *s, char *out)
{
	static char m[8];
	char why[256], a[TH_SRC_MAX + 2];
	int i;

	if (s->author != NULL) {
		snprintf(a, sizeof(a), "@%s", s->author + (s->author[0] == '@'));
		if (th_source(a, 0, out, why, sizeof(why)) != TH_SRC_USER)
			th_die(TH_EDATA, "--author: %s", why);
		s->author = out + 1;
	}
	if (s->media != NULL) {
		for (i = 0; s->media[i] != '\0' && i < 7; i++)
			m[i] = (char)toupper((unsigned char)s->media[i]);
		m[i] = '\0';
		if (strcmp(m, "TEXT") != 0 && strcmp(m, "IMAGE") != 0 &&
		    strcmp(m, "VIDEO") != 0)
			th_die(TH_EUSAGE, "--media '%s': TEXT, IMAGE or VIDEO", s->media);
		s->media = m;
	}
}

/*
 * --history: the account's recently searched keywords, one record each
 * as the API sends them ({query, timestamp}, epoch milliseconds), in its
 * order, at most limit of them (-1: all). They are a field of /me, not
 * a list edge: no paging.
 */
static int
history(long limit)
{
	struct th_api_res res;
	jv list;
	int rc = 0;

	if (th_api_call("GET", "me", jv_object_set(jv_object(), jv_string("fields"),
	    jv_string("recently_searched_keywords")), &res) != 0) {
		rc = th_api_report(&res, "recent searches");
		th_api_res_free(&res);
		return rc;
	}
	/* the API leaves an empty list out */
	list = th_jv_get(res.body, "recently_searched_keywords");
	th_api_res_free(&res);
	if (jv_get_kind(list) == JV_KIND_ARRAY)
		jv_array_foreach(list, i, k) {
			if (rc == 0 && limit != 0 && jv_get_kind(k) == JV_KIND_OBJECT) {
				rc = th_out_emit(k);
				limit -= limit > 0;
			} else
				jv_free(k);
		}
	jv_free(list);
	return rc;
}

/* --place: the places location search finds for the operands, one
 * record each, in the API's order (it does not page). */
static int
places(int argc, char **argv)
{
	struct th_fail f;
	char *q;
	int rc = 0;
	jv list;

	memset(&f, 0, sizeof(f));
	q = query(argc, argv, 0);
	if (th_place_kind(q, &(double){ 0 }, &(double){ 0 }) == TH_PLACE_ID)
		th_die(TH_EUSAGE, "--place '%s': a place's name or LAT,LON, not an id", q);
	if ((rc = th_place_search(q, &list, &f)) != 0) {
		free(q);
		return rc;
	}
	free(q);
	jv_array_foreach(list, i, pl) {
		if (rc == 0)
			rc = th_out_emit(pl);
		else
			jv_free(pl);
	}
	jv_free(list);
	return rc;
}

/* The keyword_search parameters of query q. */
static jv
params(const char *q, const struct search *s)
{
	jv p;

	p = jv_object_set(jv_object(), jv_string("q"), jv_string(q));
	p = jv_object_set(p, jv_string("search_mode"), jv_string(s->tag ? "TAG" : "KEYWORD"));
	p = jv_object_set(p, jv_string("search_type"), jv_string(s->recent ? "RECENT" : "TOP"));
	if (s->author != NULL)
		p = jv_object_set(p, jv_string("author_username"), jv_string(s->author));
	if (s->media != NULL)
		p = jv_object_set(p, jv_string("media_type"), jv_string(s->media));
	return p;
}

int
main(int argc, char **argv)
{
	struct th_tl tl;
	struct search s = { .recent = -1 };
	char *q, author[TH_SRC_MAX], state[4096], label[600];
	int n, rc;
	jv p;

	memset(&tl, 0, sizeof(tl));
	tl.limit = -1;
	tl.parallel = 1;
	tl.verb = "th-search";
	th_cli_init(argc, argv, usage);
	n = options(argc, argv, &tl, &s);
	argc -= n;
	argv += n;
	th_cli_ready();
	if (s.history) {
		/* what was searched is all there is: a search's options
		 * would be silently ignored */
		if (argc > 0 || s.tag || s.recent != -1 || s.author != NULL ||
		    s.media != NULL || s.newname != NULL || s.statefile != NULL ||
		    tl.since != 0 || tl.until != 0 || tl.fields != NULL || tl.reverse)
			th_die(TH_EUSAGE, "--history takes no query and no search "
			    "options but -n");
		th_exit(history(tl.limit));
	}
	if (s.place) {
		/* a place search has no posts to filter or follow */
		if (argc == 0 || s.tag || s.recent != -1 || s.author != NULL ||
		    s.media != NULL || s.newname != NULL || s.statefile != NULL ||
		    tl.since != 0 || tl.until != 0 || tl.fields != NULL ||
		    tl.reverse || tl.limit >= 0)
			th_die(TH_EUSAGE, "--place takes a query and no search options");
		th_exit(places(argc, argv));
	}
	if (argc == 0)
		usage(TH_EUSAGE);
	th_tl_check(&tl, s.newname, s.statefile, state, sizeof(state));
	/* --new watches for what appears: that is the recent order */
	if (s.recent == -1)
		s.recent = tl.state != NULL;
	if (tl.limit < 0 && tl.since == 0 && tl.state == NULL)
		tl.limit = 100;

	/* '#tag' is a tag here as in every source list: searching the
	 * keyword "#release" is not what anyone who typed it meant */
	if (argv[0][0] == '#')
		s.tag = 1;
	q = query(argc, argv, s.tag);
	filters(&s, author);
	p = params(q, &s);
	snprintf(label, sizeof(label), "%s%s", s.tag ? "#" : "search:", q);
	free(q);
	/* TOP is ordered by relevance, not time: it is read whole */
	th_tl_add(&tl, label, "keyword_search", p, s.recent, 's');
	rc = th_tl_run(&tl);
	th_tl_free(&tl);
	th_exit(rc);
}
