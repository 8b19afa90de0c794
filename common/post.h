/* post: one th-post job, a post or a thread, checked before anything is
 * sent; no request is made here. */
#ifndef TH_POST_H
#define TH_POST_H
#include <stddef.h>
#include <jv.h>

#define TH_POST_MAXMEDIA	20
#define TH_POST_LIMIT		500	/* characters, emoji as their bytes */

struct th_media {
	char	*url;		/* a URL, or a local path until uploaded */
	char	*alt;
	int	 video;
};

/* What to publish; every string is malloc'd (th_post_free). */
struct th_post {
	char		*text;
	struct th_media	 m[TH_POST_MAXMEDIA];
	int		 nm;		/* media given, may exceed the limit */
	char		*reply_to, *quote, *tag, *link, *rctl, *location;
	char		*countries, *poll, *attach, *key;
	int		 spoiler, thread, number;
};

/*
 * The failure of one job, in words, for its message and for a --batch
 * result line: th_fail() prints "[line N: ]why" and keeps it here.
 */
struct th_fail {
	int	 status;
	long	 line;		/* the --batch input line, 0 outside --batch */
	char	 why[1024];
};
int th_fail(struct th_fail *f, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void th_post_free(struct th_post *p);
void th_post_copy(struct th_post *dst, const struct th_post *src);
/* Add an --image (video 0) or --video; counted past the limit, so that
 * th_post_check() can say how many there were. */
void th_post_addmedia(struct th_post *p, const char *url, int video);
/* Is s an http(s) URL rather than a local path? */
int th_post_isurl(const char *s);
/*
 * Everything that can be checked before a request: UTF-8 and control
 * characters, the 500-character and 5-link rules, media, poll, tag, alt
 * text, reply control, ids, countries, key. Normalises the tag (no '#')
 * and the country codes (upper case). Returns 0, 64 (options that do not
 * go together), 65 or 78 (a local file and no uploader), with f filled.
 */
int th_post_check(struct th_post *p, struct th_fail *f);
/*
 * Fill p from a --batch record (rec borrowed): text, image_url(s),
 * video_url(s), alt_text, reply_to, quote, tag, link, key, poll,
 * reply_control, location, countries, attachment, spoiler, thread,
 * number. A record's media replace p's. Returns 0 or 65 with f filled.
 */
int th_post_fromrec(struct th_post *p, jv rec, struct th_fail *f);

/* The texts to publish: the post, or the parts of a --thread. */
struct th_parts {
	char	**text;
	int	  n;
};
int th_post_split(const struct th_post *p, struct th_parts *parts,
    struct th_fail *f);
void th_parts_free(struct th_parts *parts);

/* The container parameters of part k, replying to target (NULL: none);
 * children is a carousel's comma-separated container ids. Owned. */
jv th_post_params(const struct th_post *p, int k, const char *text,
    const char *target, const char *children);
/*
 * What part k (its text given) asks for, for the ledger to tell a key's
 * request from another: {field: digest} for each field that is set,
 * among text, media (kind, URL or path, alt text, spoiler), reply_to,
 * quote, tag, link, poll, attachment, location (part 1 only),
 * reply_control and countries. A digest is 16 hex digits of FNV-1a 64:
 * it tells requests apart, it does not hide them. Owned.
 */
jv th_post_digest(const struct th_post *p, int k, const char *text);
/* The container parameters of one carousel item. Owned. */
jv th_post_item(const struct th_media *m);
#endif
