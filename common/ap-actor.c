/*
 * ap-actor: the account's actor document: where its outbox is, and its
 * name when the source was an actor URL (preferredUsername@host). The
 * outbox found is what the account resolves to (fedicache.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap-private.h"
#include "fedicache.h"
#include "json.h"
#include "msg.h"
#include "url.h"

/* The records' username from the actor (borrowed) at a->url. */
static char *
actorname(struct th_ap *a, jv actor)
{
	char *pu = th_jv_strdup(actor, "preferredUsername"), *r, host[256];

	th_url_host(a->url, host, sizeof(host));
	/* a name with a host of its own would name another server's
	 * account */
	if (pu == NULL || *pu == '\0' || strchr(pu, '@') != NULL ||
	    asprintf(&r, "%s@%s", pu, host) == -1)
		r = th_strdup(a->url);
	free(pu);
	return r;
}

enum th_ap_step
th_ap_actor(struct th_ap *a, const struct th_api_res *res, char *why,
    size_t size)
{
	jv b = res->body;
	char *s;
	long http = res->http;

	if (http == 401 || http == 403 || http == 404 || http == 410) {
		if (a->user != NULL)
			return th_ap_rest(a, res, "actor");
		return th_ap_fail(why, size, "the server refuses anonymous reads "
		    "of %s (HTTP %ld): it wants signed fetches", a->url, http);
	}
	if (http != 200 || jv_get_kind(b) != JV_KIND_OBJECT)
		return th_ap_fail(why, size, "the actor %s is not an ActivityPub "
		    "document (HTTP %ld)", a->url, http);
	s = th_ap_refget(b, "outbox");
	if (!th_url_https(s)) {
		free(s);
		return th_ap_fail(why, size, "the actor %s has no https outbox",
		    a->url);
	}
	if (a->username == NULL)
		a->username = actorname(a, b);
	a->stage = TH_APS_OUTBOX;
	th_ap_seturl(a, s);
	th_fedicache_remember(a->source, a->username, s, TH_FEDI_OUTBOX);
	free(s);
	if (th_opts.verbose)
		th_msg(0, "%s: read through ActivityPub, outbox %s", a->source,
		    a->url);
	return TH_AP_MORE;
}
