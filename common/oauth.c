/*
 * oauth: the code flow th-auth login runs between the browser and the
 * account file. Every string that grants access (the pasted URL's code,
 * both tokens, the app's secret) is a registered secret before anything
 * could print it; what a token is good for is th_auth_login()'s business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "api.h"
#include "json.h"
#include "msg.h"
#include "oauth.h"
#include "secret.h"

#define AUTHORIZE	"https://threads.com/oauth/authorize"

char *
th_oauth_authorize_url(struct th_oauth *o)
{
	char *q, *url;
	jv p;
	int i;

	for (i = 0; i < 16; i++)
		snprintf(o->state + 2 * i, 3, "%02x", arc4random_uniform(256));
	p = jv_object();
	p = jv_object_set(p, jv_string("client_id"), jv_string(o->client_id));
	p = jv_object_set(p, jv_string("redirect_uri"), jv_string(o->redirect_uri));
	p = jv_object_set(p, jv_string("scope"), jv_string(o->scopes));
	p = jv_object_set(p, jv_string("response_type"), jv_string("code"));
	p = jv_object_set(p, jv_string("state"), jv_string(o->state));
	q = th_api_form(p);
	jv_free(p);
	if (q == NULL || asprintf(&url, "%s?%s", o->authorize ? o->authorize :
	    AUTHORIZE, q) == -1)
		th_die(TH_EIO, "out of memory");
	free(q);
	return url;
}

/* The value of key in a query string or URL, decoded; malloc'd or NULL. */
static char *
qparam(const char *s, const char *key)
{
	size_t kl = strlen(key);
	const char *p = strchr(s, '?');
	int dl = 0;
	char *d, *r;

	p = p ? p + 1 : s;
	while (*p != '\0') {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			p += kl + 1;
			d = curl_easy_unescape(NULL, p, (int)strcspn(p, "&#"), &dl);
			r = d ? strndup(d, (size_t)dl) : NULL;
			curl_free(d);
			return r;
		}
		p += strcspn(p, "&");
		if (*p == '&')
			p++;
	}
	return NULL;
}

/* The code of a redirected URL, when its state is ours. */
static int
fromurl(const struct th_oauth *o, const char *url, char **code)
{
	char *st;
	int rc;

	*code = qparam(url, "code");
	if (*code == NULL && (st = qparam(url, "error")) != NULL) {
		rc = th_msg(TH_EAUTH, "authorization refused: %s", st);
		free(st);
		return rc;
	}
	st = qparam(url, "state");
	rc = st == NULL || strcmp(st, o->state) != 0;
	free(st);
	if (rc) {
		free(*code);
		*code = NULL;
		return th_msg(TH_EDATA, "the state in the pasted URL does not "
		    "match: start the login again");
	}
	return 0;
}

int
th_oauth_code(const struct th_oauth *o, const char *pasted, char **code)
{
	int rc;

	if (strchr(pasted, '=') != NULL) {
		if ((rc = fromurl(o, pasted, code)) != 0)
			return rc;
	} else
		*code = strdup(pasted);
	if (*code == NULL || (*code)[0] == '\0') {
		free(*code);
		*code = NULL;
		return th_msg(TH_EDATA, "no code in the pasted text");
	}
	(*code)[strcspn(*code, "#")] = '\0';	/* Threads appends #_ */
	th_secret_add(*code);
	return 0;
}

/* The access_token of an exchange's answer (res freed) into *tok. */
static int
tokenof(struct th_api_res *res, int rc, const char *what, char **tok)
{
	*tok = NULL;
	if (rc != 0) {
		rc = th_api_report(res, "login");
		th_api_res_free(res);
		return rc;
	}
	*tok = th_jv_strdup(res->body, "access_token");
	th_api_res_free(res);
	if (*tok == NULL)
		return th_msg(TH_EUNAVAIL, "%s: no access_token in the answer", what);
	th_secret_add(*tok);
	return 0;
}

int
th_oauth_exchange(const struct th_oauth *o, const char *secret,
    const char *code, char **tok)
{
	struct th_api_res res;
	jv p = jv_object();
	int rc;

	p = jv_object_set(p, jv_string("client_id"), jv_string(o->client_id));
	p = jv_object_set(p, jv_string("client_secret"), jv_string(secret));
	p = jv_object_set(p, jv_string("code"), jv_string(code));
	p = jv_object_set(p, jv_string("grant_type"),
	    jv_string("authorization_code"));
	p = jv_object_set(p, jv_string("redirect_uri"), jv_string(o->redirect_uri));
	rc = th_api_call("POST", "/oauth/access_token", p, &res);
	/* user_id is a number above 2^53 here: never used, /me says */
	return tokenof(&res, rc, "code exchange", tok);
}

int
th_oauth_longlived(const char *secret, const char *shorttok, char **tok,
    long long *expires_in)
{
	struct th_api_res res;
	jv p = jv_object();
	int rc;

	*expires_in = 0;
	p = jv_object_set(p, jv_string("grant_type"), jv_string("th_exchange_token"));
	p = jv_object_set(p, jv_string("client_secret"), jv_string(secret));
	rc = th_api_get_tokq("/access_token", p, shorttok, &res);
	if (rc == 0)
		*expires_in = th_jv_getnum(res.body, "expires_in");
	return tokenof(&res, rc, "token exchange", tok);
}
