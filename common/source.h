/*
 * source: what the feed reads, whatever it is. A source says what its
 * next request is and what each answer yields; the feed sends the
 * requests (many at once), merges the records and never asks what kind
 * of source it holds. Two kinds exist: Threads list edges
 * (src-threads.h) and fediverse accounts (src-fedi.h); a unit test may
 * write its own.
 */
#ifndef TH_SOURCE_H
#define TH_SOURCE_H
#include <stddef.h>
#include <jv.h>

#include "api.h"

/* What the feed tells a source about the read as a whole. */
struct th_src_window {
	long long	 since;		/* the later of the window's start and the
					 * source's cursor (epoch s), 0: none */
	long long	 until;		/* the window's end, 0: none */
	int		 api;		/* pass since/until to the server where it
					 * takes them (the feed checks anyway) */
	int		 pagesize;	/* posts a page, 1..100 */
};

/* A request: an API list edge, or a document fetched anonymously. */
struct th_src_req {
	const char	*path;		/* the edge ("me/threads"), or NULL */
	jv		 params;	/* path: its params, the feed's to consume */
	const char	*url;		/* no path: the document (https, or what
					 * fedi_connect makes of it) */
	const char	*accept;	/* and its Accept header */
	/* path, url and accept are borrowed, valid until the source's
	 * answer() */
};

/* What an answer yields. */
enum th_src_yield {
	TH_SRC_RECORDS,	/* records, maybe none; more says if a next
			 * request follows */
	TH_SRC_FAILED,	/* the source ends: "SOURCE: why", status */
	TH_SRC_FATAL,	/* the whole feed ends (a dead token): "SOURCE:
			 * why", and status is what the feed returns */
};
struct th_src_answer {
	jv	 records;	/* RECORDS: an array of post records (newest
			 * first if the source is ordered); the feed's */
	int	 more;		/* RECORDS: the source has a next request */
	int	 status;	/* FAILED, FATAL: the exit status */
	jv	 detail;	/* FAILED, FATAL: the API's error object for
			 * --errors=json, or null; the feed's */
	char	 why[1536];	/* FAILED, FATAL: the message after "SOURCE: ";
			 * RECORDS: a warning in the same form, or "" */
};

struct th_source_ops {
	/* The next request into *r (the feed has set r->params to null): 1,
	 * or 0 when the source has nothing more to read. */
	int	(*next)(void *self, const struct th_src_window *w,
		    struct th_src_req *r);
	/* What the answer to it yields (res borrowed; res->status not 0:
	 * the request failed, res->why says why). The feed has set
	 * a->records and a->detail to null, a->more and a->status to 0 and
	 * a->why to "". */
	enum th_src_yield (*answer)(void *self, const struct th_api_res *res,
		    struct th_src_answer *a);
	void	(*free)(void *self);
};

/* A source: passed by value; once given to the feed, self is the feed's
 * (ops->free at the end). */
struct th_source {
	const struct th_source_ops *ops;
	void		*self;
	const char	*network;	/* where its ids come from ("threads",
					 * "fediverse"): a post is one post only
					 * within one network; static */
	int		 ordered;	/* newest first by time: the merge stops
					 * reading it at the window's start */
};
#endif
