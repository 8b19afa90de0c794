/* list: sources, and lists of them kept as plain files. */
#ifndef TH_LIST_H
#define TH_LIST_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

/* What a source is; see th(7). */
enum th_src {
	TH_SRC_BAD = -1,
	TH_SRC_ME,		/* me */
	TH_SRC_MENTIONS,	/* mentions */
	TH_SRC_USER,		/* @user */
	TH_SRC_TAG,		/* #tag */
	TH_SRC_LIST,		/* list:NAME */
	TH_SRC_FEDI,		/* @user@host */
	TH_SRC_POST,		/* a post's permalink: its conversation */
	TH_SRC_REPLIES,		/* replies: your own */
	TH_SRC_GHOSTS,		/* ghosts: your ghost posts */
	TH_SRC_PENDING,		/* pending:ID: the replies a post holds
				 * for approval */
};

#define TH_SRC_MAX	128	/* the longest canonical source, with its NUL */

/*
 * The canonical form of source s in out: "me", "mentions", "replies",
 * "ghosts", "@user" (lower case, one @), "#tag", "list:NAME", "@user@host"
 * (lower case), a post's permalink as
 * https://www.threads.com/@user/post/SHORTCODE, "pending:" and a post id
 * or such a permalink. With bare set (where only a user can be meant: a
 * record's username, th-whois), a bare username is taken as @username
 * ("replies" and "ghosts" too: they are words, not usernames, only
 * without bare); else a bare word is refused with the hint "@word or
 * #word?". Returns the kind, or TH_SRC_BAD with the broken rule in why.
 */
int th_source(const char *s, int bare, char out[TH_SRC_MAX], char *why,
    size_t whysize);

/* Is name a list name: [A-Za-z0-9._-], 1 to 64, no leading dot? */
int th_list_valid_name(const char *name);

/*
 * A list file in memory, line by line as it is on disk, so that what is
 * not changed is written back byte for byte.
 */
struct th_list {
	char	  name[65];
	char	  path[PATH_MAX];	/* symbolic links resolved */
	char	**line;			/* without their newline */
	size_t	  n, cap;
	int	  exists;
	int	  nl;			/* the last line ended with a newline */
	mode_t	  mode;
};

/* Read a list (it need not exist). Returns 0, or 74 after a message. */
int th_list_read(const char *name, struct th_list *l);
/* The source on line i in out: its kind, TH_SRC_BAD (why says why), or
 * -2 for a blank line or a comment ("#" then a space, or "#" alone). */
int th_list_source(const struct th_list *l, size_t i, char out[TH_SRC_MAX],
    char *why, size_t whysize);
/* Write it back atomically (same mode; a new list 0644). 0 or 74. */
int th_list_write(struct th_list *l);
void th_list_free(struct th_list *l);
/* The list's lock (flock on a hidden file beside it): fd, or -1 after a
 * message. Stale temporary files of killed writers are swept under it. */
int th_list_lock(const char *name);

/*
 * The verbs' acts, shared by th-list and th-follow. Each prints NDJSON
 * and returns an exit status.
 */
/* Sources from the operands, or stdin (one per line: a source, or an
 * NDJSON record with "source", or "username": a user's, @ or not). All of them valid, or 65
 * after naming every bad one. *src is malloc'd, canonical, distinct. */
int th_list_gather(int argc, char **argv, char ***src, int *n);
void th_list_gather_free(char **src, int n);
int th_list_add(const char *name, char **src, int n);
int th_list_rm(const char *name, char **src, int n, int missing_ok);
/* Members, {list, source}; with check, each @user is looked up with
 * profile_lookup and the missing or private ones are reported. */
int th_list_show(const char *name, int check, int missing_ok);
int th_list_all(void);
int th_list_create(const char *name);
int th_list_delete(const char *name);
int th_list_rename(const char *from, const char *to);

/*
 * Every source a list stands for, list:NAME expanded (each list once, so
 * a cycle ends). fn gets the canonical source; a non-zero return stops.
 * Bad lines are reported with their number and skipped (the status is
 * then 65). Returns fn's status, 65, or 1 when the list does not exist.
 */
typedef int th_source_fn(const char *src, void *arg);
int th_list_expand(const char *name, th_source_fn *fn, void *arg);

#endif
