/* permalink: a post named by the URL the app shares, resolved to its id. */
#ifndef TH_PERMALINK_H
#define TH_PERMALINK_H
#include <stddef.h>

#include <jv.h>

/* Pages of 100 posts a permalink is looked for in, newest first. */
#define TH_PERMALINK_PAGES	10

/*
 * Is s a post's permalink, https://www.threads.com/@user/post/SHORTCODE
 * (threads.net too, with or without www, a trailing slash, a query string
 * or a fragment)? Then 1, with the user (lower case, no @; 31 bytes at
 * least) and the shortcode (32 bytes at least); else 0.
 */
int th_permalink_parse(const char *s, char *user, size_t usize, char *code,
    size_t csize);

/*
 * The post id that s names, in id (size bytes): a post id as it is, or a
 * permalink's post, found by its shortcode among the user's newest posts
 * (your own: GET me/threads; another's: GET profile_posts), at most
 * TH_PERMALINK_PAGES pages. Returns 0; -1 when s is neither an id nor a
 * permalink (nothing said: the caller names what it wanted); or an exit
 * status after a message: 65 when the post is not among those read or
 * the shortcode is there twice, saying how far it looked, or the API's.
 */
int th_permalink_id(const char *s, char *id, size_t size);

/*
 * The same for an item of th_cli_items(): the item, or the record's "id"
 * (rec borrowed). When it names no post, says "'...': not a WHAT id or
 * permalink" and returns 65.
 */
int th_permalink_item(const char *item, jv rec, const char *what, char *id,
    size_t size);
#endif
