/* ap-record: fediverse documents as th post records. */
#ifndef TH_AP_RECORD_H
#define TH_AP_RECORD_H
#include <jv.h>

/* Why an item gave no record. */
enum th_ap_skip {
	TH_AP_SKIP_OTHER,	/* not a post (a like, a follow): nothing to say */
	TH_AP_SKIP_FOREIGN,	/* a post without an id (or an account) on the
				 * host that served it: not that server's to give */
	TH_AP_SKIP_NODATE,	/* a post with neither published nor updated */
	TH_AP_SKIP_BARE,	/* a Create whose object is only its URL */
};

/*
 * An outbox item (activity or object, borrowed) as a th post record:
 * Create of a Note, Article, Page or Question, the object itself, or an
 * Announce (a boost: "media_type":"REPOST_FACADE"). username is the
 * account's user@host. The date is published, else the Create's, else
 * updated. jv_null() for anything that is not a post, has no id or no
 * date, or is a Create whose object is only a URL (the source fetches
 * it). The id is not checked here: the source checks it against the
 * host that served the item.
 */
jv th_ap_record(jv item, const char *username);
/* A Mastodon API status (borrowed) as the same record; host completes
 * local accounts' names, and an account of another host is refused
 * (jv_null()): host cannot speak for it. A boosted status inside keeps
 * its author's name as the server gives it, in attributed_to. */
jv th_ap_status(jv status, const char *host);

/* th_ap_record() saying why there is no record (*why); ts: the date
 * when the item has none (an object fetched for its Create), or -1. */
jv th_ap_item(jv item, const char *username, long long ts,
    enum th_ap_skip *why);
/* th_ap_status() saying why not; own: the status is the account's own,
 * not a boosted one, so its account must be local to host. */
jv th_ap_mastodon(jv status, const char *host, int own, enum th_ap_skip *why);

/* When an item (borrowed) was published: published, else updated (some
 * servers date a post by its last edit alone); -1 for neither. */
long long th_ap_dated(jv o);
/* A reference (borrowed): a string, an object's id or else its href, the
 * first of several Links. malloc'd, or NULL. */
char *th_ap_ref(jv v);
/* The member k of o (borrowed) as a reference, malloc'd, or NULL. */
char *th_ap_refget(jv o, const char *k);
#endif
