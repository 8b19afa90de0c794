/* post: one th-post job, a post or a thread, checked before anything is
 * sent; no request is made here. */
#ifndef TH_POST_H
#define TH_POST_H
#include <stddef.h>
#include <stdio.h>
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
	char		*alink;		/* the text attachment's link */
	char		*astyle;	/* its styling ranges, as given:
					   "OFF+LEN=STYLE[,STYLE];..." */
	char		*astyles;	/* the same as the API's JSON list,
					   made by th_post_check() */
	char		*countries, *poll, *attach, *key;
	char		*gif;		/* a GIPHY id, as given until checked */
	char		*ents;		/* text_entities (JSON), made by
					   th_post_check() from ||spans|| */
	int		 spoiler, thread, number;
	int		 ghost;		/* is_ghost_post: archived after 24 h */
	int		 approvals;	/* enable_reply_approvals */
	int		 tspoil;	/* ||...|| in the text marks spoilers */
	char		*igstory;	/* share to Instagram Stories: "light"
					   or "dark" (crossreshare_to_ig*) */
};

#define TH_POST_MAXSPOILERS	10	/* text_entities per post */

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
 * text, reply control, ids, countries, key, GIF, what a ghost post may
 * carry. Normalises the tag (no '#'), the country codes (upper case) and
 * the GIF (its GIPHY id); with tspoil, takes the ||spoiler|| marks out of
 * the text into ents. Returns 0, 64 (options that do not go together),
 * 65 or 78 (a local file and no uploader), with f filled.
 */
int th_post_check(struct th_post *p, struct th_fail *f);
/*
 * The text's ||spoiler|| marks: s (valid UTF-8) without them, and the
 * spans as a text_entities list, offsets and lengths in UTF-16 code
 * units; "\|" is a '|' that marks nothing. Returns 0 with *plain and
 * *ents (malloc'd; *ents NULL when there is no span), or 65 with f
 * filled: a mark left open, an empty span, more than
 * TH_POST_MAXSPOILERS spans.
 */
int th_post_spoilers(const char *s, char **plain, char **ents,
    struct th_fail *f);
/*
 * Threads' post-intent URL for p (a web page that opens the composer
 * with the text, link, tag, reply control, and the post replied to or
 * quoted when -r/--quote are permalinks): no token, no request. Returns
 * 0 with *url (malloc'd), 64 or 65 with f filled.
 */
int th_post_intent(struct th_post *p, char **url, struct th_fail *f);
/*
 * Fill p from a --batch record (rec borrowed): text, image_url(s),
 * video_url(s), alt_text, reply_to, quote, tag, link, key, poll,
 * reply_control, location, countries, attachment, spoiler, thread,
 * number, gif, ghost, reply_approvals, text_spoilers, instagram_story.
 * A record's media replace p's. Returns 0 or 65 with f filled.
 */
int th_post_fromrec(struct th_post *p, jv rec, struct th_fail *f);

/*
 * What a --location is: a location id, a place's name, or coordinates
 * "LAT,LON" (decimal degrees, *lat and *lon set); TH_PLACE_BAD for
 * coordinates off the globe. No request: a name or coordinates are
 * made an id by th_place_search() in the publishing engine.
 */
enum th_place { TH_PLACE_BAD = -1, TH_PLACE_ID, TH_PLACE_NAME, TH_PLACE_COORDS };
enum th_place th_place_kind(const char *s, double *lat, double *lon);

/* Add a styling range "OFF+LEN=STYLE[,STYLE]" to the text attachment. */
void th_post_addstyle(struct th_post *p, const char *spec);
/* The text attachment read from path ("-": stdin); exits on failure. */
void th_post_attachfile(struct th_post *p, const char *path);

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
 * quote, tag, link, poll, attachment, location, ghost, gif, spoilers,
 * instagram_story (part 1 only), reply_control, reply_approvals and
 * countries. A digest is 16 hex digits of FNV-1a 64: it tells requests
 * apart, it does not hide them. Owned.
 */
jv th_post_digest(const struct th_post *p, int k, const char *text);
/* The container parameters of one carousel item. Owned. */
jv th_post_item(const struct th_media *m);
/* The input cap of a text or an attachment: far above any thread. */
#define TH_POST_MAXTEXT	(1 << 20)
/* All of f (name for messages), at most TH_POST_MAXTEXT bytes, with no
 * NUL: malloc'd, or NULL after a message (65, 74). */
char *th_post_slurp(FILE *f, const char *name);
#endif
