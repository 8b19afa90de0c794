/* feed: many sources read at once and merged into one stream. */
#ifndef TH_FEED_H
#define TH_FEED_H

#include <jv.h>

#include "source.h"

struct th_feed;

/* A feed fetching at most parallel pages at once (th_http's bound). */
struct th_feed *th_feed_new(int parallel);
/*
 * Add a source (source.h; its self is the feed's from now on). label:
 * what the records' th_sources say, and what messages about the source
 * name.
 */
void th_feed_add(struct th_feed *f, const char *label, struct th_source src);
/* The source added last starts after a cursor: posts older than ts, and
 * those at ts whose ids are in ids (an array of strings; consumed), are
 * not taken from it. */
void th_feed_cursor(struct th_feed *f, long long ts, jv ids);
/* Only posts with since <= timestamp <= until (0: no bound); passed to
 * the sources (th_src_window) with api, and checked here anyway. */
void th_feed_window(struct th_feed *f, long long since, long long until, int api);
/* Page size: the API's limit parameter (1..100; default 100). */
void th_feed_pagesize(struct th_feed *f, int n);
/*
 * The next post: newest first across all sources (ties by id), each post
 * once, with "th_sources": the labels of every source that had it (of
 * one network, as the sources say: a fediverse record never merges with
 * a Threads post, whatever its id).
 * A page is fetched only when the merge needs its posts; every source's
 * first page goes out at once. Returns 1 (*item is the caller's), 0 at
 * the end, or an exit status that stops the whole feed (no or expired
 * token, out of memory). A source that fails is reported, naming it, and
 * dropped; th_feed_status() says how such failures add up.
 */
int th_feed_next(struct th_feed *f, jv *item);
int th_feed_status(const struct th_feed *f);
/* Pages fetched so far, and sources still being read. */
long th_feed_pages(const struct th_feed *f);
void th_feed_free(struct th_feed *f);

#endif
