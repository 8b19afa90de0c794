/* src-threads: a Threads list edge as a feed source (source.h). */
#ifndef TH_SRC_THREADS_H
#define TH_SRC_THREADS_H
#include <jv.h>

#include "source.h"

/*
 * The edge path ("me/threads", "profile_posts", "keyword_search",
 * "me/mentions", "ID/replies", "ID/conversation" ...) with params
 * (consumed: fields, username, q ...), paged with the after cursor.
 * label names the source in a warning that its paging went in a circle.
 * ordered: the edge lists newest first (not a TOP search).
 */
struct th_source th_src_threads(const char *label, const char *path,
    jv params, int ordered);
#endif
