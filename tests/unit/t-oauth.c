/*
 * t-oauth: the OAuth code flow against scripted answers, no server: the
 * authorize URL and its state, the pasted redirect (our state or
 * refused, an error=access_denied, the "#_" cut), the code exchange (a
 * POST form, no token), the long-lived exchange (a GET with the secret
 * and the token in the query), a flat OAuth error, and th_auth_login()
 * storing the account the token is for.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "config.h"
#include "http.h"
#include "oauth.h"
#include "secret.h"
#include "tap.h"

#define BASE	"http://127.0.0.1:9"
#define APPID	"1234567890123456"
#define REDIR	"https://cb.example/th"
#define SECRET	"appsecret0123456789"

/* The answer to the next request to path; the request as it went out. */
static struct {
	const char	*path;
	long		 http;
	const char	*body;
} script[4];
static int nscript;
static struct {
	char	 method[8], path[64], query[512], body[512];
	int	 token;		/* a Bearer header went with it */
} sent[8];
static int nsent;
static FILE *errf;

/* The app the flow is run for. */
static const struct th_oauth app = { .client_id = APPID,
    .redirect_uri = REDIR, .scopes = "threads_basic" };

static void
reset(void)
{
	nscript = nsent = 0;
}

static void
answer(const char *path, long http, const char *body)
{
	script[nscript].path = path;
	script[nscript].http = http;
	script[nscript++].body = body;
}

static void
fake(struct th_http_req *r)
{
	const char *p = r->url + strlen(BASE), *q = strchr(p, '?');
	size_t n = q ? (size_t)(q - p) : strlen(p);
	int i;

	if (nsent < 8) {
		strlcpy(sent[nsent].method, r->method, sizeof(sent[0].method));
		snprintf(sent[nsent].path, sizeof(sent[0].path), "%.*s", (int)n, p);
		strlcpy(sent[nsent].query, q ? q + 1 : "", sizeof(sent[0].query));
		strlcpy(sent[nsent].body, r->body ? r->body : "",
		    sizeof(sent[0].body));
		sent[nsent++].token = r->token != NULL;
	}
	for (i = 0; i < nscript; i++)
		if (strlen(script[i].path) == n && strncmp(script[i].path, p, n) == 0)
			break;
	if (i == nscript) {
		r->status = 400;	/* unscripted: the test is wrong */
		r->resp = strdup("{\"error\":{\"message\":\"unscripted\",\"code\":100}}");
	} else {
		r->status = script[i].http;
		r->resp = strdup(script[i].body);
	}
	r->len = strlen(r->resp);
}

/* What went to stderr since the last call. */
static const char *
errs(void)
{
	static char buf[2048];
	size_t n;

	fflush(stderr);
	rewind(errf);
	n = fread(buf, 1, sizeof(buf) - 1, errf);
	buf[n] = '\0';
	if (ftruncate(fileno(errf), 0) != 0)
		buf[0] = '\0';
	rewind(errf);
	return buf;
}

static void
authorize(void)
{
	struct th_oauth o = app;
	char want[512], first[33], *url;

	o.scopes = "threads_basic,threads_delete";
	url = th_oauth_authorize_url(&o);
	is_int(strlen(o.state), 32, "the state is 32 characters");
	is_int(strspn(o.state, "0123456789abcdef"), 32, "  of hex");
	snprintf(want, sizeof(want), "https://threads.com/oauth/authorize?"
	    "client_id=" APPID "&redirect_uri=https%%3A%%2F%%2Fcb.example%%2Fth"
	    "&scope=threads_basic%%2Cthreads_delete&response_type=code&state=%s",
	    o.state);
	is_str(url, want, "the authorize URL: Threads', the app, the redirect "
	    "and the scopes escaped, a code asked for, the state");
	free(url);
	strlcpy(first, o.state, sizeof(first));
	o.authorize = "http://127.0.0.1:9/oauth/authorize";
	url = th_oauth_authorize_url(&o);
	ok(strcmp(first, o.state) != 0, "a fresh state for every URL");
	ok(strncmp(url, "http://127.0.0.1:9/oauth/authorize?client_id=", 45) == 0,
	    "the endpoint can be another (TH_AUTHORIZE_URL)");
	free(url);
}

/* th_oauth_code() of the pasted text, the state being state. */
static int
code(const char *state, const char *pasted, char **c)
{
	struct th_oauth o = app;

	strlcpy(o.state, state, sizeof(o.state));
	return th_oauth_code(&o, pasted, c);
}

static void
pasted(void)
{
	const char *st = "0123456789abcdef0123456789abcdef";
	char *c, *red;

	is_int(code(st, REDIR "?code=AQBcode%2F1&state=0123456789abcdef0123456789abcdef#_",
	    &c), 0, "a redirected URL with our state: its code");
	is_str(c, "AQBcode/1", "  decoded, without the #_ Threads appends");
	red = th_redact("the code AQBcode/1", 18);
	is_str(red, "the code [REDACTED]", "  and it is a secret from now on");
	free(red);
	free(c);
	is_int(code(st, "AQBbare#_", &c), 0, "a bare code");
	is_str(c, "AQBbare", "  without the #_");
	free(c);
	errs();

	is_int(code(st, REDIR "?code=AQBother&state=ffffffffffffffffffffffffffffffff#_",
	    &c), 65, "a URL with another state is refused (65)");
	is_str(errs(), "t-oauth: the state in the pasted URL does not match: "
	    "start the login again\n", "  saying to start again");
	ok(c == NULL, "  and no code comes of it");
	is_int(code(st, REDIR "?code=AQBother", &c), 65,
	    "a URL without a state is refused (65)");
	errs();

	is_int(code(st, REDIR "?error=access_denied&error_reason=user_denied"
	    "&error_description=Permissions+error&state=" "0123456789abcdef"
	    "0123456789abcdef#_", &c), 77, "error=access_denied: refused (77)");
	is_str(errs(), "t-oauth: authorization refused: access_denied\n",
	    "  saying so");
	is_int(code(st, REDIR "?state=0123456789abcdef0123456789abcdef", &c), 65,
	    "our state but no code (65)");
	is_str(errs(), "t-oauth: no code in the pasted text\n", "  saying so");
}

static void
exchanges(void)
{
	struct th_oauth o = app;
	long long in;
	char *tok;

	reset();
	answer("/oauth/access_token", 200,
	    "{\"access_token\":\"THQVJshort\",\"user_id\":17841400000000000001}");
	is_int(th_oauth_exchange(&o, SECRET, "AQBcode", &tok), 0,
	    "the code exchange");
	is_str(tok, "THQVJshort", "  gives the short-lived token");
	free(tok);
	is_int(nsent, 1, "  in one request");
	is_str(sent[0].method, "POST", "  a POST");
	is_str(sent[0].path, "/oauth/access_token", "  to the unversioned endpoint");
	is_str(sent[0].body, "client_id=" APPID "&client_secret=" SECRET
	    "&code=AQBcode&grant_type=authorization_code&redirect_uri="
	    "https%3A%2F%2Fcb.example%2Fth", "  the form: the app, its secret, "
	    "the code, the redirect");
	is_str(sent[0].query, "", "  nothing in the query");
	is_int(sent[0].token, 0, "  no token");

	reset();
	answer("/access_token", 200, "{\"access_token\":\"THQVJlong\","
	    "\"token_type\":\"bearer\",\"expires_in\":5183944}");
	is_int(th_oauth_longlived(SECRET, "THQVJshort", &tok, &in), 0,
	    "the long-lived exchange");
	is_str(tok, "THQVJlong", "  gives the long-lived token");
	is_int(in, 5183944, "  and its lifetime");
	free(tok);
	is_str(sent[0].method, "GET", "  a GET");
	is_str(sent[0].path, "/access_token", "  to the unversioned endpoint");
	is_str(sent[0].query, "grant_type=th_exchange_token&client_secret=" SECRET
	    "&access_token=THQVJshort", "  the secret and the token in the query");
	is_str(sent[0].body, "", "  no body");
	is_int(sent[0].token, 0, "  no header");

	reset();
	answer("/access_token", 200, "{\"access_token\":\"THQVJlong\"}");
	th_oauth_longlived(SECRET, "THQVJshort", &tok, &in);
	is_int(in, 0, "an answer without expires_in: the lifetime is unknown (0)");
	free(tok);
	errs();
}

static void
errors(void)
{
	struct th_oauth o = app;
	long long in;
	char *tok;

	reset();
	answer("/oauth/access_token", 400, "{\"error_type\":\"OAuthException\","
	    "\"code\":400,\"error_message\":\"Matching code was not found or was "
	    "already used\"}");
	is_int(th_oauth_exchange(&o, SECRET, "AQBused", &tok), 1,
	    "a flat OAuth error to the code exchange: refused (1)");
	is_str(errs(), "t-oauth: login: refused (API: Matching code was not "
	    "found or was already used, code 400)\n", "  th's word, then the API's message");
	ok(tok == NULL, "  and no token");

	reset();
	answer("/access_token", 400, "{\"error_type\":\"OAuthException\","
	    "\"code\":452,\"error_message\":\"Session key invalid\"}");
	is_int(th_oauth_longlived(SECRET, "THQVJshort", &tok, &in), 1,
	    "a flat OAuth error to the long-lived exchange: refused (1)");
	is_str(errs(), "t-oauth: login: refused (API: Session key invalid, code 452)\n",
	    "  th's word, then the API's message");

	reset();
	answer("/oauth/access_token", 200, "{\"token_type\":\"bearer\"}");
	is_int(th_oauth_exchange(&o, SECRET, "AQBcode", &tok), 69,
	    "an answer without a token (69)");
	is_str(errs(), "t-oauth: code exchange: no access_token in the answer\n",
	    "  saying which exchange");
}

static void
login(void)
{
	struct th_account a;
	long long exp = (long long)time(NULL) + 5183944;

	reset();
	answer("/v1.0/me", 200, "{\"id\":\"17841400000000001\",\"username\":\"th_tester\"}");
	is_int(th_auth_login("THQVJlong", exp), 0, "th_auth_login stores the account");
	is_str(errs(), "t-oauth: logged in as @th_tester (account th_tester)\n",
	    "  and says as whom");
	is_int(nsent, 1, "  asking /me alone when the expiry is known");
	is_str(sent[0].query, "fields=id%2Cusername", "  for the id and username");
	is_int(sent[0].token, 1, "  with the token in a header");
	is_int(th_auth_load("th_tester", &a), 0, "  named by the username");
	is_str(a.token, "THQVJlong", "  the token");
	is_str(a.user_id, "17841400000000001", "  the user id");
	is_int(a.expires_at, exp, "  the expiry given");
	ok(time(NULL) - a.issued_at < 60, "  issued now");
	th_auth_account_free(&a);

	reset();
	answer("/v1.0/me", 200, "{\"id\":\"17841400000000001\",\"username\":\"th_tester\"}");
	answer("/v1.0/debug_token", 200, "{\"data\":{\"is_valid\":true,"
	    "\"issued_at\":1700000000,\"expires_at\":1705184000}}");
	strlcpy(th_cfg.account, "work", sizeof(th_cfg.account));
	is_int(th_auth_login("THQVJpasted", 0), 0, "an expiry not known: stored too");
	th_cfg.account[0] = '\0';
	errs();
	is_str(sent[1].path, "/v1.0/debug_token", "  after asking debug_token");
	is_int(th_auth_load("work", &a), 0, "  named by -a");
	is_int(a.expires_at, 1705184000, "  its expiry from debug_token");
	is_int(a.issued_at, 1700000000, "  and its issue time");
	th_auth_account_free(&a);

	reset();
	answer("/v1.0/me", 200, "{\"id\":\"17841400000000001\"}");
	is_int(th_auth_login("THQVJnouser", exp), 69, "/me without a username (69)");
	is_str(errs(), "t-oauth: /me answered without id and username\n",
	    "  saying so");
}

static int
rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

int
main(void)
{
	char dir[] = "/tmp/t-oauth.XXXXXX";

	if (mkdtemp(dir) == NULL || (errf = tmpfile()) == NULL)
		return 1;
	setenv("HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);
	setenv("TH_API_BASE", BASE, 1);
	setenv("TH_BACKOFF_MS", "1", 1);
	unsetenv("TH_ACCESS_TOKEN");
	unsetenv("TH_ACCOUNT");
	unsetenv("TH_TOKEN_FILE");
	unsetenv("TH_CLIENT_ID");
	unsetenv("TH_CLIENT_SECRET");
	if (th_config_load() != 0)
		return 1;
	th_cli_ready();
	th_http_set_fake(fake);
	fflush(stderr);
	if (dup2(fileno(errf), STDERR_FILENO) == -1)
		return 1;

	authorize();
	pasted();
	exchanges();
	errors();
	login();

	th_http_set_fake(NULL);
	nftw(dir, rm, 8, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
