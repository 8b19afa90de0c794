/*
 * api: turns "GET me/threads fields=…" into a request and the answer into
 * a record or an exit status. Threads is classified by its error envelope,
 * not by HTTP status: it serves permanent errors (bad id, invalid token)
 * with HTTP 500, and transient ones with 400.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "api.h"
#include "buf.h"
#include "config.h"
#include "http.h"
#include "json.h"
#include "msg.h"
#include "secret.h"

/* what to do about a refused token: the token provider knows */
static char tokenfix[160] = "run th-auth login";

static char *token;
static int tokenrc = -1;		/* -1: not asked yet; else the provider's */
static char tokuid[32];		/* the provider's user id, "" if unknown */
static th_api_token_fn *provider;

static const char *const unversioned[] = {
	"/oauth/access_token", "/access_token", "/refresh_access_token", NULL
};

int
th_api_exit(enum th_api_kind k)
{
	switch (k) {
	case TH_API_OK:		return 0;
	case TH_API_TRANSIENT:	return TH_EUNAVAIL;
	case TH_API_RATE:	return TH_ETEMP;
	case TH_API_AUTH:	return TH_EAUTH;
	case TH_API_REFUSED:	return TH_EFAIL;
	case TH_API_BROKEN:	return TH_EUNAVAIL;
	}
	return TH_EFAIL;
}

/* An error code: a number, or digits in a string (some proxies). */
static long
codeof(jv e, const char *key)
{
	jv v = th_jv_get(e, key);
	long r = 0;

	if (jv_get_kind(v) == JV_KIND_NUMBER)
		r = (long)th_jv_num(v);
	else if (jv_get_kind(v) == JV_KIND_STRING)
		r = strtol(jv_string_value(v), NULL, 10);
	jv_free(v);
	return r;
}

/* *dst with src's member key, when src has one that is not null. */
static void
copymember(jv *dst, jv src, const char *key)
{
	jv v = th_jv_get(src, key);

	if (jv_get_kind(v) != JV_KIND_NULL)
		*dst = jv_object_set(*dst, jv_string(key), v);
	else
		jv_free(v);
}

/* What the HTTP status alone says, when the body does not (429, 5xx,
 * 401/403, 3xx); (enum th_api_kind)-1 when it says nothing. */
static int
bystatus(long http, char *why, size_t whysize)
{
	if (http == 429) {
		snprintf(why, whysize, "rate limited (HTTP 429)");
		return TH_API_RATE;
	}
	if (http >= 500) {
		snprintf(why, whysize, "server error (HTTP %ld)", http);
		return TH_API_TRANSIENT;
	}
	if (http == 401 || http == 403) {
		snprintf(why, whysize, "not authorised (HTTP %ld)", http);
		return TH_API_AUTH;
	}
	if (http >= 300) {
		snprintf(why, whysize, "unexpected HTTP %ld", http);
		return http < 400 ? TH_API_BROKEN : TH_API_REFUSED;
	}
	return -1;
}

/* The Graph envelope {"error":{...}} (e borrowed): the kind by code. */
static enum th_api_kind
envelope(long http, jv e, jv *detail, char *why, size_t whysize)
{
	static const char *const keep[] = { "code", "error_subcode", "type",
	    "message", "error_user_title", "error_user_msg", "is_transient",
	    "fbtrace_id" };
	long code = codeof(e, "code"), sub = codeof(e, "error_subcode");
	char *msg = th_jv_strdup(e, "message"), *um = th_jv_strdup(e,
	    "error_user_msg");
	jv t = th_jv_get(e, "is_transient");
	enum th_api_kind k;
	size_t i;

	*detail = jv_object();
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		copymember(detail, e, keep[i]);
	*detail = jv_object_set(*detail, jv_string("http_status"), jv_number(http));
	if (code == 4 || code == 17 || code == 32 || code == 613 || http == 429)
		k = TH_API_RATE;
	else if (jv_get_kind(t) == JV_KIND_TRUE || code == 1 || code == 2)
		k = TH_API_TRANSIENT;
	else if (code == 190 || code == 102 || code == 10 ||
	    (code >= 200 && code <= 299))
		k = TH_API_AUTH;
	else
		k = TH_API_REFUSED;
	jv_free(t);
	if (sub != 0)
		snprintf(why, whysize, "%s (code %ld/%ld)%s%s",
		    msg ? msg : "error", code, sub, um ? ": " : "", um ? um : "");
	else
		snprintf(why, whysize, "%s (code %ld)%s%s",
		    msg ? msg : "error", code, um ? ": " : "", um ? um : "");
	free(msg);
	free(um);
	return k;
}

enum th_api_kind
th_api_classify(long http, jv body, jv *detail, char *why, size_t whysize)
{
	jv e;
	char *msg;
	int k;

	*detail = jv_null();
	why[0] = '\0';
	if (jv_get_kind(body) != JV_KIND_OBJECT) {
		if (http == 429 || http >= 500)
			return bystatus(http, why, whysize);
		snprintf(why, whysize, "the answer is not a JSON object (HTTP %ld)", http);
		return TH_API_BROKEN;
	}
	e = th_jv_get(body, "error");
	if (jv_get_kind(e) == JV_KIND_OBJECT) {
		k = envelope(http, e, detail, why, whysize);
		jv_free(e);
		return k;
	}
	jv_free(e);
	/* the OAuth endpoints' flat shapes; a 200 with error_message is a
	 * container's status, not an error */
	if (http >= 400 && (msg = th_jv_strdup(body, "error_message")) != NULL) {
		*detail = jv_object();
		copymember(detail, body, "error_type");
		copymember(detail, body, "code");
		copymember(detail, body, "error_code");
		*detail = jv_object_set(*detail, jv_string("message"), jv_string(msg));
		*detail = jv_object_set(*detail, jv_string("http_status"),
		    jv_number(http));
		snprintf(why, whysize, "%s", msg);
		free(msg);
		return http >= 500 ? TH_API_TRANSIENT : TH_API_REFUSED;
	}
	return (k = bystatus(http, why, whysize)) >= 0 ? k : TH_API_OK;
}

static int
appendparams(char **s, jv params, const char *firstsep)
{
	char *out = *s, *n;
	int ok = 1, first = 1;

	if (jv_get_kind(params) != JV_KIND_OBJECT)
		return 1;
	jv_object_foreach(params, k, v) {
		char *ek = NULL, *ev = NULL;
		if (ok && jv_get_kind(v) == JV_KIND_STRING) {
			ek = curl_easy_escape(NULL, jv_string_value(k), 0);
			ev = curl_easy_escape(NULL, jv_string_value(v), 0);
			if (ek == NULL || ev == NULL ||
			    asprintf(&n, "%s%s%s=%s", out, first ? firstsep : "&", ek, ev) == -1)
				ok = 0;
			else {
				free(out);
				out = n;
				first = 0;
			}
		}
		curl_free(ek);
		curl_free(ev);
		jv_free(k);
		jv_free(v);
	}
	*s = out;
	return ok;
}

char *
th_api_form(jv params)
{
	char *s = strdup("");

	if (s != NULL && !appendparams(&s, params, "")) {
		free(s);
		return NULL;
	}
	return s;
}

char *
th_api_url(const char *path, jv params, char *why, size_t whysize)
{
	size_t blen = strlen(th_cfg.api_base);
	const char *const *u;
	const char *prefix = "/v1.0";
	char *url = NULL;

	if (strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0) {
		if (strncmp(path, th_cfg.api_base, blen) != 0 ||
		    (path[blen] != '/' && path[blen] != '\0')) {
			snprintf(why, whysize, "%s is not on the API origin %s",
			    path, th_cfg.api_base);
			return NULL;
		}
		path += blen;
	}
	while (path[0] == '/' && path[1] == '/')
		path++;
	if (path[0] == '/')
		path++;
	if (path[0] == '\0' || strstr(path, "..") != NULL ||
	    strpbrk(path, " \t\r\n#") != NULL) {
		snprintf(why, whysize, "bad path '%s'", path);
		return NULL;
	}
	/* "v1.0/…", "v19.0/…": the caller chose a version */
	if (path[0] == 'v' && path[1] >= '0' && path[1] <= '9' &&
	    strchr(path, '/') != NULL && strchr(path, '.') < strchr(path, '/'))
		prefix = "";
	for (u = unversioned; *u != NULL; u++) {
		size_t l = strlen(*u + 1);
		if (strncmp(path, *u + 1, l) == 0 &&
		    (path[l] == '\0' || path[l] == '?'))
			prefix = "";
	}
	if (asprintf(&url, "%s%s/%s", th_cfg.api_base, prefix, path) == -1)
		return NULL;
	if (!appendparams(&url, params, strchr(url, '?') == NULL ? "?" : "&")) {
		free(url);
		return NULL;
	}
	return url;
}

static int
apitransient(struct th_http_req *r)
{
	jv body, detail;
	char why[8];
	enum th_api_kind k;

	if (r->err == TH_HTTP_ENET || r->err == TH_HTTP_ETIMEOUT)
		return 1;
	if (r->err != TH_HTTP_OK)
		return 0;
	/* a 2xx answer is an error only if it carries an error member; the
	 * profile showed every page parsed twice, here and in finish() */
	if (r->status >= 200 && r->status < 300 &&
	    (r->resp == NULL || memmem(r->resp, r->len, "\"error", 6) == NULL))
		return 0;
	body = r->resp ? th_json_parse(r->resp, r->len) : jv_null();
	k = th_api_classify(r->status, body, &detail, why, sizeof(why));
	jv_free(body);
	jv_free(detail);
	return k == TH_API_TRANSIENT || k == TH_API_RATE;
}

/* paging.next and .previous carry the token in clear: scrub them. */
static jv
scrubpaging(jv body)
{
	static const char *const keys[] = { "next", "previous" };
	jv paging, u;
	char *r;
	size_t i;

	if (jv_get_kind(body) != JV_KIND_OBJECT)
		return body;
	paging = jv_object_get(jv_copy(body), jv_string("paging"));
	if (jv_get_kind(paging) != JV_KIND_OBJECT) {
		jv_free(paging);
		return body;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		u = jv_object_get(jv_copy(paging), jv_string(keys[i]));
		if (jv_get_kind(u) == JV_KIND_STRING &&
		    (r = th_redact(jv_string_value(u), strlen(jv_string_value(u)))) != NULL) {
			paging = jv_object_set(paging, jv_string(keys[i]), jv_string(r));
			free(r);
		}
		jv_free(u);
	}
	return jv_object_set(body, jv_string("paging"), paging);
}

static int
needstoken(const char *path)
{
	const char *const *u;

	while (*path == '/')
		path++;
	for (u = unversioned; *u != NULL; u++)
		if (strncmp(path, *u + 1, strlen(*u + 1)) == 0)
			return 0;
	return 1;
}

/* Fill r for a request; 0, or the status with res filled. params consumed.
 * With tokq the caller has put the token in params (the query): no header,
 * and the URL is a secret of its own (http.h). */
static int
prepare(struct th_http_req *r, const char *method, const char *path, jv params,
    char **url, char **form, struct th_api_res *res, int tokq)
{
	int post = strcmp(method, "POST") == 0;

	memset(res, 0, sizeof(*res));
	res->body = jv_null();
	res->error = jv_null();
	memset(r, 0, sizeof(*r));
	*url = *form = NULL;

	/* the token endpoints never take the user's token in a header: the
	 * code exchange has none yet, the others take it in the query */
	if (tokq || !needstoken(path))
		tokq = 1;
	else if (token == NULL && tokenrc == -1)
		th_api_token();
	if (!tokq && tokenrc > 0) {
		jv_free(params);
		res->status = tokenrc;
		snprintf(res->why, sizeof(res->why), "no usable token");
		return res->status;
	}
	*url = th_api_url(path, post ? jv_null() : params, res->why, sizeof(res->why));
	if (*url != NULL && post && (*form = th_api_form(params)) == NULL) {
		free(*url);
		*url = NULL;
	}
	jv_free(params);
	if (*url == NULL) {
		if (res->why[0] == '\0')
			snprintf(res->why, sizeof(res->why), "out of memory");
		return res->status = TH_EUSAGE;
	}
	r->method = method;
	r->url = *url;
	r->body = *form;
	r->token = tokq ? NULL : token;
	r->secret_url = tokq;	/* the query may hold a secret */
	r->retry_ok = strcmp(method, "GET") == 0;
	r->transient = apitransient;
	return 0;
}

/* The path of an API URL ("123/insights"): no origin, version or query. */
static void
pathof(const char *url, char *buf, size_t size)
{
	size_t blen = strlen(th_cfg.api_base);

	if (strncmp(url, th_cfg.api_base, blen) == 0)
		url += blen;
	while (*url == '/')
		url++;
	if (url[0] == 'v' && url[1] >= '0' && url[1] <= '9' &&
	    strchr(url, '/') != NULL)
		url = strchr(url, '/') + 1;
	snprintf(buf, size, "%.*s", (int)strcspn(url, "?#"), url);
}

/* What the finished request r amounts to, in res. */
static int
finish(struct th_http_req *r, struct th_api_res *res, int raw)
{
	enum th_api_kind k;

	res->http = r->status;
	res->attempts = r->attempts;
	snprintf(res->method, sizeof(res->method), "%s", r->method);
	if (!raw && r->url != NULL)
		pathof(r->url, res->path, sizeof(res->path));
	switch (r->err) {
	case TH_HTTP_OK:
		res->body = r->resp ? th_json_parse(r->resp, r->len) : jv_null();
		if (!jv_is_valid(res->body)) {
			jv_free(res->body);
			res->body = jv_null();
		}
		if (raw) {	/* not the API's: the caller reads it */
			res->location = r->location;	/* moved */
			r->location = NULL;
			res->status = 0;
			break;
		}
		res->body = scrubpaging(res->body);
		k = th_api_classify(r->status, res->body, &res->error, res->why,
		    sizeof(res->why));
		res->status = th_api_exit(k);
		if (k == TH_API_TRANSIENT && r->attempts > 1) {
			size_t l = strlen(res->why);
			snprintf(res->why + l, sizeof(res->why) - l,
			    ", %d attempts", r->attempts);
		}
		break;
	case TH_HTTP_ETIMEOUT:
		snprintf(res->why, sizeof(res->why), "timed out after %d attempt%s: %s",
		    r->attempts, r->attempts == 1 ? "" : "s", r->errbuf);
		res->status = TH_EUNAVAIL;
		break;
	case TH_HTTP_ETOOBIG:
		snprintf(res->why, sizeof(res->why), "%s", r->errbuf);
		res->status = TH_EUNAVAIL;
		break;
	case TH_HTTP_EREFUSED:
		snprintf(res->why, sizeof(res->why), "%s", r->errbuf);
		res->status = TH_EUSAGE;
		break;
	default:
		snprintf(res->why, sizeof(res->why), "%s%s", r->errbuf,
		    r->attempts > 1 ? " (after retries)" : "");
		res->status = TH_EUNAVAIL;
		break;
	}
	res->apiwhy = strlen(res->why);
	th_http_req_free(r);
	return res->status;
}

int
th_api_call(const char *method, const char *path, jv params,
    struct th_api_res *res)
{
	struct th_http_req r;
	char *url, *form;

	if (prepare(&r, method, path, params, &url, &form, res, 0) != 0)
		return res->status;
	th_http_do(&r);
	finish(&r, res, 0);
	free(url);
	free(form);
	return res->status;
}

int
th_api_get_tokq(const char *path, jv params, const char *caller,
    struct th_api_res *res)
{
	struct th_http_req r;
	char *url, *form;

	params = jv_object_set(params, jv_string("access_token"), jv_string(caller));
	if (prepare(&r, "GET", path, params, &url, &form, res, 1) != 0)
		return res->status;
	th_http_do(&r);
	finish(&r, res, 0);
	explicit_bzero(url, strlen(url));
	free(url);
	return res->status;
}

int
th_api_submit(struct th_api_req *q, const char *path, jv params,
    struct th_api_res *res)
{
	q->raw = 0;
	if (prepare(&q->http, "GET", path, params, &q->url, &q->form, res, 0) != 0)
		return res->status;
	th_http_submit(&q->http);
	return 0;
}

void
th_api_fetch(struct th_api_req *q, const char *url, const char *accept)
{
	memset(&q->http, 0, sizeof(q->http));
	q->form = NULL;
	q->raw = 1;
	if ((q->url = strdup(url)) == NULL)
		th_die(TH_EIO, "out of memory");
	q->http.method = "GET";
	q->http.url = q->url;
	q->http.accept = accept;
	q->http.fedi = 1;
	q->http.retry_ok = 1;
	th_http_submit(&q->http);
}

struct th_api_req *
th_api_next(struct th_api_res *res)
{
	struct th_http_req *r;
	struct th_api_req *q;

	if ((r = th_http_next()) == NULL)
		return NULL;
	q = (struct th_api_req *)r;	/* http is its first member */
	memset(res, 0, sizeof(*res));
	res->body = jv_null();
	res->error = jv_null();
	finish(&q->http, res, q->raw);
	free(q->url);
	free(q->form);
	q->url = q->form = NULL;
	return q;
}

const char *
th_api_permission(const char *method, const char *path)
{
	const char *edge = strrchr(path, '/');
	int post = strcmp(method, "POST") == 0;

	edge = edge != NULL ? edge + 1 : path;
	if (strcmp(edge, "threads_publishing_limit") == 0)
		return NULL;	/* by the fields asked: one for each quota */
	if (strncmp(path, "profile_", 8) == 0)
		return "threads_profile_discovery";
	if (strcmp(path, "keyword_search") == 0)
		return "threads_keyword_search";
	if (strcmp(path, "location_search") == 0)
		return "threads_location_tagging";
	if (strcmp(edge, "mentions") == 0)
		return "threads_manage_mentions";
	if (strcmp(edge, "replies") == 0 || strcmp(edge, "conversation") == 0 ||
	    strcmp(edge, "pending_replies") == 0)
		return "threads_read_replies";
	if (strcmp(edge, "insights") == 0 || strcmp(edge, "threads_insights") == 0)
		return "threads_manage_insights";
	if (strcmp(edge, "manage_reply") == 0 ||
	    strcmp(edge, "manage_pending_reply") == 0)
		return "threads_manage_replies";
	if (strcmp(method, "DELETE") == 0)
		return "threads_delete";
	if (post && (strcmp(edge, "repost") == 0 || strcmp(edge, "threads") == 0 ||
	    strcmp(edge, "threads_publish") == 0))
		return "threads_content_publish";
	return "threads_basic";
}

/* th's words for res's API error: what it means for what was asked, in
 * the user's terms, with what to do when there is one. */
static void
words(const struct th_api_res *res, long code, long sub, char *buf, size_t size)
{
	const char *p = res->path, *perm = th_api_permission(res->method, p);
	int post = p[0] >= '0' && p[0] <= '9';	/* "123", "123/insights" */
	jv t = th_jv_get(res->error, "is_transient");
	int transient = jv_get_kind(t) == JV_KIND_TRUE;

	jv_free(t);
	if (code == 4 || code == 17 || code == 32 || code == 613 || res->http == 429)
		snprintf(buf, size, "rate limited: try again later");
	else if ((transient || code == 1 || code == 2) && res->attempts > 1)
		snprintf(buf, size, "the API failed, %d attempts", res->attempts);
	else if (transient || code == 1 || code == 2)
		snprintf(buf, size, "the API failed");
	else if (code == 190 && sub == 463)
		snprintf(buf, size, "the token has expired: %s", tokenfix);
	else if (code == 190 || code == 102)
		snprintf(buf, size, "the token is not valid: %s", tokenfix);
	else if ((code == 10 || (code >= 200 && code <= 299)) && sub == 4279067)
		snprintf(buf, size, "the app's access tier does not reach this: "
		    "%s needs advanced access, granted by Meta's App Review; "
		    "until then it reaches only a few accounts",
		    perm != NULL ? perm : "it");
	else if ((code == 10 || (code >= 200 && code <= 299)) && perm != NULL)
		snprintf(buf, size, "the app or the token lacks the %s permission",
		    perm);
	else if (code == 10 || (code >= 200 && code <= 299))
		snprintf(buf, size, "the app or the token lacks a permission "
		    "this needs");
	else if (code == 100 && strncmp(p, "profile_", 8) == 0)
		snprintf(buf, size, "no such user, or not a public profile the "
		    "API may read");
	else if (code == 100 && sub == 33)
		snprintf(buf, size, "no such %s, or not one this token may read",
		    post ? "post" : "object");
	else
		snprintf(buf, size, "refused");
}

/*
 * The API's text without what misleads: a sentence that names an
 * object ("Object with ID 'zuck' does not exist, cannot be loaded due to
 * missing permissions, or does not support this operation") names what
 * the API was asked, which need not be what the user typed, and says
 * three things at once where th's words say the one that holds. A code
 * in front ("(#4) ") and a last full stop go too: the code follows, and
 * the text sits inside th's parentheses.
 */
static void
apitext(const char *m, char *buf, size_t size)
{
	const char *s, *e, *orig = m;
	size_t n = 0, l;

	buf[0] = '\0';
	/* "(#4) Application request limit reached": the code, said again */
	if (m[0] == '(' && m[1] == '#' && (s = strstr(m, ") ")) != NULL &&
	    strspn(m + 2, "0123456789") == (size_t)(s - m - 2))
		m = s + 2;
	for (s = m; *s != '\0'; s = e) {
		if ((e = strstr(s, ". ")) != NULL)
			e += 2;
		else
			e = s + strlen(s);
		if (memmem(s, (size_t)(e - s), "Object with ID ", 15) != NULL)
			continue;
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, "%.*s",
			    (int)(e - s), s);
	}
	l = strlen(buf);
	while (l > 0 && (buf[l - 1] == ' ' || buf[l - 1] == '.'))
		buf[--l] = '\0';
	if (buf[0] == '\0')	/* nothing left: the text as it came */
		snprintf(buf, size, "%s", orig);
}

void
th_api_reason(const struct th_api_res *res, char *buf, size_t size)
{
	char w[256], text[512], code[48], *m, *um;
	const char *add = "";
	long c, sub;

	if (jv_get_kind(res->error) != JV_KIND_OBJECT) {
		snprintf(buf, size, "%s", res->why);
		return;
	}
	if ((c = codeof(res->error, "code")) == 0)
		c = codeof(res->error, "error_code");
	sub = codeof(res->error, "error_subcode");
	m = th_jv_strdup(res->error, "message");
	um = th_jv_strdup(res->error, "error_user_msg");
	words(res, c, sub, w, sizeof(w));
	apitext(m != NULL ? m : "error", text, sizeof(text));
	if (sub != 0)
		snprintf(code, sizeof(code), "code %ld/%ld", c, sub);
	else
		snprintf(code, sizeof(code), "code %ld", c);
	/* what a caller added to why after api's part (0: api wrote none) */
	if (res->apiwhy > 0 && res->apiwhy <= strlen(res->why))
		add = res->why + res->apiwhy;
	snprintf(buf, size, "%s (API: %s%s%s, %s)%s", w, text, um ? ": " : "",
	    um ? um : "", code, add);
	free(m);
	free(um);
}

int
th_api_report(struct th_api_res *res, const char *what)
{
	char reason[1024];

	th_api_reason(res, reason, sizeof(reason));
	return th_msgj(res->status, res->error, "%s: %s", what, reason);
}

void
th_api_res_free(struct th_api_res *res)
{
	jv_free(res->body);
	jv_free(res->error);
	res->body = jv_null();
	res->error = jv_null();
	free(res->location);
	res->location = NULL;
}

/* FNV-1a: spread well enough for telling cursors apart, and small. */
int
th_api_seen(struct th_seen *set, const char *s, size_t n)
{
	unsigned long long h = 14695981039346656037ULL, *nh;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	for (i = 0; i < set->n; i++)
		if (set->h[i] == h)
			return 1;
	/* room for 8, then doubled whenever full (at 8, 16, 32 ...) */
	if (set->n == 0 || (set->n >= 8 && (set->n & (set->n - 1)) == 0)) {
		if ((nh = reallocarray(set->h, set->n ? set->n * 2 : 8,
		    sizeof(*nh))) == NULL)
			th_die(TH_EIO, "out of memory");
		set->h = nh;
	}
	set->h[set->n++] = h;
	return 0;
}

void
th_api_seen_free(struct th_seen *set)
{
	free(set->h);
	set->h = NULL;
	set->n = 0;
}

void
th_pager_init(struct th_pager *p, const char *path, jv params)
{
	memset(p, 0, sizeof(*p));
	p->path = strdup(path);
	p->params = jv_get_kind(params) == JV_KIND_OBJECT ? params :
	    (jv_free(params), jv_object());
	p->page = jv_null();
}

/* The after cursor of a page: paging.cursors.after, but only when the API
 * says there is a next page (paging.next); else NULL. */
char *
th_api_nextcursor(jv body)
{
	jv paging, cursors, next;
	char *after = NULL;

	if (jv_get_kind(body) != JV_KIND_OBJECT)
		return NULL;	/* found by fuzzing: an array here asserted */
	paging = jv_object_get(jv_copy(body), jv_string("paging"));
	if (jv_get_kind(paging) != JV_KIND_OBJECT) {
		jv_free(paging);
		return NULL;
	}
	next = jv_object_get(jv_copy(paging), jv_string("next"));
	if (jv_get_kind(next) == JV_KIND_STRING) {
		cursors = jv_object_get(jv_copy(paging), jv_string("cursors"));
		after = th_jv_strdup(cursors, "after");
		jv_free(cursors);
		if (after == NULL) {
			/* no cursors: take only the after= value of next */
			const char *u = jv_string_value(next), *a;
			if ((a = strstr(u, "?after=")) != NULL ||
			    (a = strstr(u, "&after=")) != NULL) {
				int l, dl = 0;
				char *d;
				a += 7;
				l = (int)strcspn(a, "&#");
				d = curl_easy_unescape(NULL, a, l, &dl);
				if (d != NULL)
					after = strndup(d, (size_t)dl);
				curl_free(d);
			}
		}
	}
	jv_free(next);
	jv_free(paging);
	return after;
}

/*
 * What tells one page from another: the ids of its items, in order; the
 * whole page only when an item has none. Not the page's dump: that cost
 * more than the rest of reading it, and kept every page in memory.
 */
static char *
pagekey(jv data)
{
	struct th_buf b = TH_BUF_INIT;
	char *id;

	if (jv_get_kind(data) == JV_KIND_ARRAY)
		jv_array_foreach(data, i, it) {
			id = jv_get_kind(it) == JV_KIND_OBJECT ?
			    th_jv_idstr(it, "id") : NULL;
			jv_free(it);
			if (id == NULL || th_buf_add(&b, id, strlen(id)) != 0 ||
			    th_buf_add(&b, "\n", 1) != 0) {
				free(id);
				th_buf_free(&b);
				return th_json_dump(jv_copy(data));
			}
			free(id);
		}
	if (b.s == NULL)	/* an empty page, or not a list */
		return th_json_dump(jv_copy(data));
	return th_buf_take(&b);
}

/* A server going in a circle would be paged for ever: A, B, A by its
 * cursors, or fresh cursors on the same pages. */
int
th_api_circle(struct th_circle *c, jv data, char **after, const char *what)
{
	char *d;
	int again;

	if ((d = pagekey(data)) == NULL)
		th_die(TH_EIO, "out of memory");
	again = th_api_seen(&c->pages, d, strlen(d));
	free(d);
	if (!again)
		c->stale = 0;
	else if (++c->stale >= TH_PAGES_STALE && *after != NULL) {
		th_msg(0, "%s: paging stopped: %d pages in a row repeat pages "
		    "before", what, c->stale);
		*after = (free(*after), NULL);
	}
	if (*after != NULL && th_api_seen(&c->cursors, *after, strlen(*after))) {
		th_msg(0, "%s: paging stopped: the next cursor was given before "
		    "(the pages go in a circle)", what);
		*after = (free(*after), NULL);
	}
	return again;
}

void
th_api_circle_free(struct th_circle *c)
{
	th_api_seen_free(&c->cursors);
	th_api_seen_free(&c->pages);
	c->stale = 0;
}

int
th_pager_next(struct th_pager *p, jv *item, struct th_api_res *res)
{
	jv params, data;
	char *after;

	for (;;) {
		if (p->idx < p->n) {
			*item = jv_array_get(jv_copy(p->page), p->idx++);
			return 1;
		}
		if (p->last || (p->started && p->after == NULL))
			return 0;
		params = jv_copy(p->params);
		if (p->after != NULL)
			params = jv_object_set(params, jv_string("after"),
			    jv_string(p->after));
		if (th_api_call("GET", p->path, params, res) != 0)
			return -1;
		p->started = 1;
		p->pages++;
		data = jv_object_get(jv_copy(res->body), jv_string("data"));
		if (jv_get_kind(data) != JV_KIND_ARRAY) {
			/* not a list edge: the answer is the one item */
			jv_free(data);
			*item = jv_copy(res->body);
			th_api_res_free(res);
			p->last = 1;
			return 1;
		}
		after = th_api_nextcursor(res->body);
		th_api_res_free(res);
		free(p->after);
		p->after = after;
		jv_free(p->page);
		p->page = data;
		p->idx = 0;
		p->n = jv_array_length(jv_copy(data));
		if (p->n == 0)
			p->last = 1;
		else if (th_api_circle(&p->circle, data, &p->after, p->path))
			p->n = 0;	/* a page read before: nothing new */
	}
}

void
th_pager_free(struct th_pager *p)
{
	free(p->path);
	free(p->after);
	jv_free(p->params);
	jv_free(p->page);
	th_api_circle_free(&p->circle);
	memset(p, 0, sizeof(*p));
	p->params = jv_null();
	p->page = jv_null();
}

void
th_api_token_fix(const char *how)
{
	strlcpy(tokenfix, how, sizeof(tokenfix));
}

void
th_api_token_provider(th_api_token_fn *fn)
{
	provider = fn;
}

/* api holds a token from now on: wiped on the way out, however it ends. */
static void
keep(char *t)
{
	token = t;
	if (token != NULL) {
		th_secret_add(token);
		th_atexit(th_api_cleanup);
	}
}

int
th_api_token(void)
{
	char *t = NULL, uid[sizeof(tokuid)] = "";
	int rc;

	if (token == NULL && tokenrc == -1) {
		if (provider == NULL)
			rc = th_msg(TH_EAUTH, "no token: nothing to look one up with");
		else
			rc = provider(&t, uid, sizeof(uid));
		/* an automatic refresh inside sets a token of its own */
		th_api_cleanup();
		keep(t);
		tokenrc = rc;
		strlcpy(tokuid, rc == 0 ? uid : "", sizeof(tokuid));
	}
	return tokenrc > 0 ? tokenrc : 0;
}

void
th_api_set_token(const char *tok)
{
	th_api_cleanup();
	keep(strdup(tok));
	if (token != NULL)
		tokenrc = 0;
}

void
th_api_cleanup(void)
{
	if (token != NULL) {
		explicit_bzero(token, strlen(token));
		free(token);
		token = NULL;
	}
	tokenrc = -1;
}

int
th_api_uid(char *buf, size_t size)
{
	static char cache[32];
	struct th_api_res res;
	char *id;
	int rc;

	if (cache[0] == '\0') {
		if ((rc = th_api_token()) != 0)
			return rc;
		if (tokuid[0] != '\0')
			strlcpy(cache, tokuid, sizeof(cache));
		else {
			if (th_api_call("GET", "me", jv_object_set(jv_object(),
			    jv_string("fields"), jv_string("id")), &res) != 0) {
				rc = th_api_report(&res, "cannot ask who you are");
				th_api_res_free(&res);
				return rc;
			}
			id = th_jv_idstr(res.body, "id");
			th_api_res_free(&res);
			if (id == NULL)
				return th_msg(TH_EUNAVAIL, "/me answered without an id");
			strlcpy(cache, id, sizeof(cache));
			free(id);
		}
	}
	strlcpy(buf, cache, size);
	return 0;
}

long
th_api_errcode(const struct th_api_res *res, const char *key)
{
	jv v;
	long n = -1;

	if (jv_get_kind(res->error) != JV_KIND_OBJECT)
		return -1;
	v = jv_object_get(jv_copy(res->error), jv_string(key));
	if (jv_get_kind(v) == JV_KIND_NUMBER)
		n = (long)th_jv_num(v);
	jv_free(v);
	return n;
}

int
th_api_lost(const struct th_api_res *res)
{
	if (res->status == 0 || res->status == TH_EAUTH || res->status == TH_ETEMP)
		return 0;
	/* no answer, a server error, or an answer that is not the API's */
	return res->http == 0 || res->http >= 500 ||
	    jv_get_kind(res->error) == JV_KIND_NULL;
}

int
th_api_call_again(const char *method, const char *path, jv params,
    struct th_api_res *res)
{
	int rc;

	if ((rc = th_api_call(method, path, jv_copy(params), res)) != 0 &&
	    th_api_lost(res)) {
		th_api_res_free(res);
		return th_api_call(method, path, params, res);
	}
	jv_free(params);
	return rc;
}
