/* fedicache: what fediverse accounts resolved to, kept for a day. */
#ifndef TH_FEDICACHE_H
#define TH_FEDICACHE_H

/* How an account is read. */
enum th_fedi_via {
	TH_FEDI_OUTBOX,		/* ActivityPub: url is its outbox */
	TH_FEDI_STATUSES,	/* Mastodon's API: url is its statuses, no query */
};

/* An account known (strings borrowed from the cache). */
struct th_fedi_known {
	const char	*username;	/* records' "username": user@host */
	const char	*url;
	const char	*first;		/* OUTBOX: its first page, when the
					 * outbox links to it; else NULL */
	enum th_fedi_via via;
	long long	 at;		/* when it was looked up, epoch seconds */
};

/*
 * What source ("@user@host", an actor URL) resolved to, if it is known
 * and has not stopped working: 1 with *k filled (valid until the next
 * call here), else 0. The file, $XDG_STATE_HOME/th/fedi, is read on the
 * first call of the process; entries older than a day are not taken.
 */
int th_fedicache_find(const char *source, struct th_fedi_known *k);
/* source resolved to url: remembered, unless it is known and working
 * already (a fresh lookup does not replace a good entry). */
void th_fedicache_remember(const char *source, const char *username,
    const char *url, enum th_fedi_via via);
/* The known outbox of source links its first page at url: a later run
 * reads that page straight away, one request an account instead of two. */
void th_fedicache_first(const char *source, const char *url);
/* source stopped working: neither used nor saved again. */
void th_fedicache_forget(const char *source);
/* Save what changed, merged with what other processes wrote meanwhile,
 * and free it all. Registered with th_atexit() when the file is read. */
void th_fedicache_cleanup(void);
#endif
