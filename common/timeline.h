/* timeline: what th-timeline and th-search share: windows, the
 * only-new cursor, follow mode, output order. */
#ifndef TH_TIMELINE_H
#define TH_TIMELINE_H

#include <getopt.h>
#include <jv.h>

/* A source to read: a list edge and its parameters. */
struct th_tl_src {
	char	*label;		/* th_sources' name for it: "@meta", "#ramen" */
	char	*path;		/* "profile_posts", "me/threads", ... */
	jv	 params;	/* owned */
	int	 ordered;	/* newest first by time (not TOP search) */
	int	 kind;		/* for quotas: 'u' profile discovery, 's' search;
				 * 'f' a fediverse source (path: the source) */
};

struct th_tl {
	struct th_tl_src *src;
	int		 nsrc;
	const char	*fields;	/* NULL: the default set */
	long		 limit;		/* -n; -1: none given */
	long long	 since, until;	/* 0: none */
	int		 reverse;	/* oldest first */
	int		 parallel;	/* -P */
	const char	*state;		/* --new/--state file, or NULL */
	int		 follow;	/* -f */
	long		 interval;	/* -f polling, seconds */
	const char	*verb;		/* for messages */
};

/* The options th-timeline and th-search share; a verb's own start at
 * TH_OPT_TL_VERB. Past cli.h's common ones (0x100 on), which this layer
 * does not include: it lies below cli. */
enum {
	TH_OPT_TL_SINCE = 0x200, TH_OPT_TL_UNTIL, TH_OPT_TL_FIELDS,
	TH_OPT_TL_REVERSE, TH_OPT_TL_NEW, TH_OPT_TL_STATE,
	TH_OPT_TL_VERB
};
/* --help's lines for TH_TL_LONGOPTS but -n (whose default differs). */
#define TH_TL_HELP \
	"      --since TIME        only posts since TIME (2026-11-01, 1700000000, 3d)\n" \
	"      --until TIME        only posts before TIME (same forms as --since)\n" \
	"      --fields LIST       the post fields to ask for, comma-separated\n" \
	"      --reverse           the newest posts, printed oldest first\n" \
	"      --new NAME          only posts new since the last run of NAME\n" \
	"      --state FILE        as --new, with the cursors kept in FILE\n"
#define TH_TL_LONGOPTS \
	{ "limit",	required_argument,	NULL, 'n' }, \
	{ "since",	required_argument,	NULL, TH_OPT_TL_SINCE }, \
	{ "until",	required_argument,	NULL, TH_OPT_TL_UNTIL }, \
	{ "fields",	required_argument,	NULL, TH_OPT_TL_FIELDS }, \
	{ "reverse",	no_argument,		NULL, TH_OPT_TL_REVERSE }, \
	{ "new",	required_argument,	NULL, TH_OPT_TL_NEW }, \
	{ "state",	required_argument,	NULL, TH_OPT_TL_STATE }
/* Take option c if it is one of those (-n too): 1, or 0 when it is not;
 * --new and --state go to *newname and *statefile. Exits 64 on a bad
 * value. */
int th_tl_option(struct th_tl *t, int c, const char *arg, const char **newname,
    const char **statefile);

/* Add a source (params consumed), once per label. A "fields" in params
 * names the source's own fields, asked beside the default set (not with
 * --fields). */
void th_tl_add(struct th_tl *t, const char *label, const char *path, jv params,
    int ordered, int kind);
/* The state file of --new NAME, in buf; 0 or 64 after a message. */
int th_tl_statepath(const char *name, char *buf, size_t size);
/* A --since/--until argument (see th_time_arg), or exit 64 naming opt. */
long long th_tl_when(const char *s, const char *opt);
/* The options both verbs check alike: --new or --state (the path of
 * --new NAME goes in buf), a window that ends after it starts. Exits 64. */
void th_tl_check(struct th_tl *t, const char *newname, const char *statefile,
    char *buf, size_t size);
/* Read, merge, print; returns the exit status. With a state (--new,
 * --state) the run holds it locked throughout: one that overlaps waits
 * a few seconds, then returns 75. A window before TH_TL_EPOCH is not
 * asked of Threads: since is raised to it, and an until before it
 * leaves the Threads sources unread (the fediverse keeps the window). */
int th_tl_run(struct th_tl *t);
void th_tl_free(struct th_tl *t);

/* The API's first second (2023-07-05 UTC): it refuses a since before
 * it, and Threads has no post older. */
#define TH_TL_EPOCH	1688540400LL

/* The default fields of a post record. */
#define TH_TL_FIELDS "id,username,text,timestamp,permalink,shortcode," \
	"media_product_type,media_type,media_url,thumbnail_url,alt_text," \
	"is_quote_post,quoted_post,reposted_post,topic_tag," \
	"link_attachment_url,has_replies,is_reply,replied_to,root_post"

#endif
