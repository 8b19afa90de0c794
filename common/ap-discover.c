/*
 * ap-discover: where an account lives. @user@host asks the host's
 * WebFinger for the account's actor (and its name as the server spells
 * it); an actor URL is its own start. A domain may redirect WebFinger
 * to the server that holds the account: redirects of any stage are
 * followed here, https only, a few in a row at most.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "ap-private.h"
#include "json.h"
#include "msg.h"
#include "url.h"

#define MAX_REDIRECTS	3	/* in a row */

void
th_ap_begin(struct th_ap *a)
{
	char *u, *e;

	free(a->username);
	a->username = NULL;
	if (a->user == NULL) {
		a->stage = TH_APS_ACTOR;
		th_ap_seturl(a, a->source);
		return;
	}
	e = curl_easy_escape(NULL, a->source + 1, 0);
	if (e == NULL || asprintf(&u, "https://%s/.well-known/webfinger?"
	    "resource=acct%%3A%s", a->host, e) == -1)
		th_die(TH_EIO, "out of memory");
	curl_free(e);
	a->stage = TH_APS_WEBFINGER;
	th_ap_seturl(a, u);
	free(u);
}

enum th_ap_step
th_ap_redirect(struct th_ap *a, const struct th_api_res *res, char *why,
    size_t size)
{
	char *to = th_url_resolve(a->url, res->location);

	if (!th_url_https(to) || ++a->redirects > MAX_REDIRECTS) {
		snprintf(why, size, "%s redirects %s%s", a->url, th_url_https(to) ?
		    "too often, last to " : "to an address that is not https: ", to);
		free(to);
		return TH_AP_FAIL;
	}
	th_ap_seturl(a, to);
	free(to);
	return TH_AP_MORE;
}

/*
 * The account's user@host from WebFinger's answer (borrowed): the
 * subject, which spells the name as the server does, when it names an
 * account on the host asked or on the server that answered (the host
 * may send WebFinger there); else the source as written. A server can
 * only speak for its own accounts: acct:mosseri from evil.example is
 * not @mosseri, nor is acct:mosseri@threads.net.
 */
static char *
subject(struct th_ap *a, jv jrd)
{
	char *sub = th_jv_strdup(jrd, "subject"), *at, *p, host[256];

	th_url_host(a->url, host, sizeof(host));
	for (p = sub; p != NULL && *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			sub[0] = '\0';	/* not a name */
			break;
		}
	if (sub != NULL && strncasecmp(sub, "acct:", 5) == 0 &&
	    (at = strchr(sub + 5, '@')) != NULL && at > sub + 5 &&
	    strchr(at + 1, '@') == NULL && (strcasecmp(at + 1, a->host) == 0 ||
	    strcasecmp(at + 1, host) == 0)) {
		memmove(sub, sub + 5, strlen(sub) - 4);
		return sub;
	}
	if (th_opts.verbose && sub != NULL)
		th_msg(0, "%s: WebFinger's subject %s is not an account on %s; "
		    "named as written", a->source, sub, a->host);
	free(sub);
	return th_strdup(a->source + 1);
}

/* The https ActivityPub actor among the JRD's (borrowed) links, or NULL. */
static char *
selflink(jv jrd)
{
	jv links = th_jv_get(jrd, "links");
	char *s = NULL;

	if (jv_get_kind(links) == JV_KIND_ARRAY) {
		jv_array_foreach(links, i, l) {
			char *rel = th_jv_strdup(l, "rel"), *t = th_jv_strdup(l, "type");
			if (s == NULL && rel && strcmp(rel, "self") == 0 && t &&
			    (strstr(t, "activity+json") || strstr(t, "ld+json")))
				s = th_jv_strdup(l, "href");
			free(rel);
			free(t);
			jv_free(l);
		}
	}
	jv_free(links);
	return s;
}

enum th_ap_step
th_ap_webfinger(struct th_ap *a, const struct th_api_res *res, char *why,
    size_t size)
{
	char *s;
	long http = res->http;

	if (http == 404 || http == 410)
		return th_ap_fail(why, size, "no such account on %s (WebFinger: "
		    "HTTP %ld)", a->host, http);
	if (http != 200 || jv_get_kind(res->body) != JV_KIND_OBJECT)
		return th_ap_fail(why, size, "%s's WebFinger did not answer with "
		    "JSON (HTTP %ld)", a->host, http);
	if (!th_url_https(s = selflink(res->body))) {
		free(s);
		return th_ap_fail(why, size, "%s's WebFinger names no https "
		    "ActivityPub actor for the account", a->host);
	}
	a->username = subject(a, res->body);
	a->stage = TH_APS_ACTOR;
	th_ap_seturl(a, s);
	free(s);
	return TH_AP_MORE;
}
