/* publish: the publishing engine, exactly once (design.md §7). */
#ifndef TH_PUBLISH_H
#define TH_PUBLISH_H
#include "post.h"

struct th_pubopts {
	int	 dryrun;	/* every read, no write: print the requests */
	int	 republish;	/* a key whose post was deleted posts again */
	long	 waittimeout;	/* s: a container's processing */
	long	 pubtimeout;	/* s: 24/4279009 after FINISHED, per container */
	long	 window;	/* s: how far back a key is looked for */
};

/*
 * Publish p, a post or a --thread, and print each part as read back (or
 * with "duplicate": true, and "deleted", when the key has it already).
 * Checks p first (th_post_check), then: the ledger (a key that made
 * another post is 65) and, on a machine without it, the account's
 * recent posts for the key; the quota; the uploader for local media;
 * each part's container, recorded in the ledger with the digests of
 * what it asks for before it is published, waited for and published on
 * a fresh connection, any doubt settled by the container's status. A
 * dry run makes the same reads and no write: a key out there already is
 * printed as the real run prints it, else the requests. Returns 0 or
 * the exit status, with f filled (its message printed already).
 */
int th_publish(struct th_post *p, const struct th_pubopts *o,
    struct th_fail *f);
/*
 * Location search (GET location_search) for s, a place's name or
 * "LAT,LON" (th_place_kind): *places is the list of places found, each
 * with all its fields and its id as a string (the API sends a number).
 * Returns 0 with *places (owned), or the status with f filled (*places
 * null).
 */
int th_place_search(const char *s, jv *places, struct th_fail *f);
/*
 * p->location made a location id: a name or coordinates are searched
 * and must give one clear match (the only place found, or the only one
 * named exactly as asked); else 65, the candidates printed as records.
 */
int th_place_resolve(struct th_post *p, struct th_fail *f);
#endif
