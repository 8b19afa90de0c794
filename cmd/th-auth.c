/*
 * th-auth: accounts and their tokens.
 *
 *	th-auth login [--with-token] [-a name] [--scopes LIST]
 *	th-auth status [--fail-within DAYS]
 *	th-auth refresh [--if-within DAYS]
 *	th-auth token | logout | accounts [--default NAME]
 *
 * login --with-token reads a token on stdin and checks it against /me;
 * login alone runs the OAuth code flow (the code is pasted back). Accounts
 * are files $XDG_CONFIG_HOME/th/accounts/NAME, 0600 in a 0700 directory.
 * status prints one NDJSON record per account; refresh replaces the token
 * under a lock; token prints it for piping. Tokens never go on argv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <readpassphrase.h>

#include "api.h"
#include "auth.h"
#include "cli.h"
#include "config.h"
#include "json.h"
#include "out.h"
#include "secret.h"

enum { OPT_WITH_TOKEN = TH_OPT_VERB, OPT_FAIL_WITHIN, OPT_IF_WITHIN,
	OPT_DEFAULT, OPT_SCOPES };

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "with-token",	no_argument,		NULL, OPT_WITH_TOKEN },
	{ "fail-within", required_argument,	NULL, OPT_FAIL_WITHIN },
	{ "if-within",	required_argument,	NULL, OPT_IF_WITHIN },
	{ "default",	required_argument,	NULL, OPT_DEFAULT },
	{ "scopes",	required_argument,	NULL, OPT_SCOPES },
	{ NULL, 0, NULL, 0 }
};

static int withtoken;
static long failwithin = -1, ifwithin = -1;
static const char *setdefault;
static const char *scopes = "threads_basic,threads_content_publish,"
    "threads_read_replies,threads_manage_replies,threads_manage_insights,"
    "threads_keyword_search,threads_manage_mentions,threads_delete,"
    "threads_profile_discovery";

static void
usage(int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f,
	    "usage: th-auth login [--with-token] [-a name] [--scopes list]\n"
	    "       th-auth status [--fail-within days]\n"
	    "       th-auth refresh [--if-within days]\n"
	    "       th-auth token | logout | accounts [--default name]\n"
	    "       (common: [-v] [--jq filter] [--errors=json])\n");
	th_exit(status);
}

static long
days(const char *arg, const char *opt)
{
	const char *errstr;
	long long n = strtonum(arg, 0, 3650, &errstr);

	if (errstr != NULL)
		th_die(TH_EUSAGE, "%s: '%s' is %s (0..3650)", opt, arg, errstr);
	return (long)n;
}

static char *
isotime(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;

	strftime(buf, size, "%Y-%m-%dT%H:%M:%S+0000", gmtime(&tt));
	return buf;
}

/* Check tok against /me; fill username and id. Returns 0 or a status. */
static int
whoami(const char *tok, struct th_account *a)
{
	struct th_api_res res;
	char *u, *id;
	int rc;

	th_api_set_token(tok);
	rc = th_api_call("GET", "me", jv_object_set(jv_object(),
	    jv_string("fields"), jv_string("id,username")), &res);
	if (rc != 0) {
		rc = th_api_report(&res, "cannot verify the token");
		th_api_res_free(&res);
		return rc;
	}
	u = th_jv_strdup(res.body, "username");
	id = th_jv_idstr(res.body, "id");	/* a string from /me, always */
	th_api_res_free(&res);
	if (u == NULL || id == NULL) {
		free(u);
		free(id);
		return th_msg(TH_EUNAVAIL, "/me answered without id and username");
	}
	strlcpy(a->username, u, sizeof(a->username));
	strlcpy(a->user_id, id, sizeof(a->user_id));
	free(u);
	free(id);
	return 0;
}

/* Issue and expiry times from debug_token, when the app may ask; why
 * says why not. */
static void
debugtimes(const char *tok, struct th_account *a, char *why, size_t whysize)
{
	jv d, v;

	if (th_auth_debug(tok, &d, why, whysize) != 0)
		return;
	v = jv_object_get(jv_copy(d), jv_string("expires_at"));
	if (jv_get_kind(v) == JV_KIND_NUMBER && jv_number_value(v) > 0)
		a->expires_at = th_jv_num(v);
	jv_free(v);
	v = jv_object_get(jv_copy(d), jv_string("issued_at"));
	if (jv_get_kind(v) == JV_KIND_NUMBER && jv_number_value(v) > 0 &&
	    a->expires_at != 0)
		a->issued_at = th_jv_num(v);
	jv_free(v);
	jv_free(d);
}

static int
store(struct th_account *a, char *tok)
{
	char why[512] = "";
	int rc;

	a->token = tok;
	if ((rc = whoami(tok, a)) != 0)
		return rc;
	if (th_cfg.account[0] != '\0')
		strlcpy(a->name, th_cfg.account, sizeof(a->name));
	else
		strlcpy(a->name, a->username, sizeof(a->name));
	if (!th_auth_valid_name(a->name))
		return th_msg(TH_EUSAGE, "bad account name '%s'", a->name);
	a->issued_at = time(NULL);
	if (a->expires_at == 0)
		debugtimes(tok, a, why, sizeof(why));
	if ((rc = th_auth_save(a)) != 0)
		return rc;
	th_msg(0, "logged in as @%s (account %s)", a->username, a->name);
	/* never a guess: a pasted token may be weeks old already */
	if (a->expires_at == 0)
		th_msg(0, "the token's expiry is unknown (debug_token: %s); th "
		    "refreshes it once it is 24 h old, which tells", why[0] ?
		    why : "no expires_at");
	return 0;
}

static char *
readline0(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if ((n = getline(&line, &cap, f)) == -1) {
		free(line);
		return NULL;
	}
	if (memchr(line, '\0', (size_t)n) != NULL) {
		/* a token cut at a NUL would be a different token */
		explicit_bzero(line, (size_t)n);
		free(line);
		th_msg(TH_EDATA, "a NUL byte on standard input");
		errno = EINVAL;
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

static int
login_token(void)
{
	struct th_account a;
	char *tok;
	int rc;

	memset(&a, 0, sizeof(a));
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "Paste the token, then Enter: ");
	errno = 0;
	if ((tok = readline0(stdin)) == NULL || tok[0] == '\0') {
		free(tok);
		return errno == EINVAL ? TH_EDATA : th_msg(TH_EDATA, "no token on stdin");
	}
	th_secret_add(tok);
	rc = store(&a, tok);
	th_auth_account_free(&a);
	return rc;
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

static int
login_oauth(void)
{
	struct th_account a;
	struct th_api_res res;
	char state[33], *line, *code, *st, *ecid = NULL, *eru = NULL,
	    *esc = NULL, secret[256], *shorttok = NULL, *longtok = NULL;
	const char *cid = th_cfg.client_id, *ru = getenv("TH_REDIRECT_URI"),
	    *auth = getenv("TH_AUTHORIZE_URL");
	long long expin;
	jv p;
	int rc, i;

	memset(&a, 0, sizeof(a));
	if (cid[0] == '\0' || ru == NULL)
		return th_msg(TH_ECONFIG, "login needs TH_CLIENT_ID (or client_id in "
		    "the config) and TH_REDIRECT_URI: your Threads app's id and "
		    "registered redirect URL; or use --with-token");
	for (i = 0; i < 16; i++)
		snprintf(state + 2 * i, 3, "%02x", arc4random_uniform(256));
	ecid = curl_easy_escape(NULL, cid, 0);
	eru = curl_easy_escape(NULL, ru, 0);
	esc = curl_easy_escape(NULL, scopes, 0);
	printf("Open this URL, allow access, then paste the address you are sent to:\n"
	    "%s?client_id=%s&redirect_uri=%s&scope=%s&response_type=code&state=%s\n",
	    auth ? auth : "https://threads.com/oauth/authorize", ecid, eru, esc, state);
	fflush(stdout);
	curl_free(ecid);
	curl_free(eru);
	curl_free(esc);
	if ((line = readline0(stdin)) == NULL)
		return th_msg(TH_EDATA, "no code on stdin");
	th_secret_add(line);
	if (strchr(line, '=') != NULL) {
		code = qparam(line, "code");
		if (code == NULL && (st = qparam(line, "error")) != NULL) {
			rc = th_msg(TH_EAUTH, "authorization refused: %s", st);
			free(st);
			free(line);
			return rc;
		}
		st = qparam(line, "state");
		if (st == NULL || strcmp(st, state) != 0) {
			free(code);
			free(st);
			free(line);
			return th_msg(TH_EDATA, "the state in the pasted URL does not match: "
			    "start the login again");
		}
		free(st);
	} else
		code = strdup(line);
	explicit_bzero(line, strlen(line));
	free(line);
	if (code == NULL || code[0] == '\0') {
		free(code);
		return th_msg(TH_EDATA, "no code in the pasted text");
	}
	code[strcspn(code, "#")] = '\0';	/* Threads appends #_ */
	th_secret_add(code);

	if (th_cfg.client_secret[0] != '\0')
		strlcpy(secret, th_cfg.client_secret, sizeof(secret));
	else if (readpassphrase("App secret: ", secret, sizeof(secret),
	    RPP_REQUIRE_TTY) == NULL) {
		free(code);
		return th_msg(TH_ECONFIG, "no app secret: set TH_CLIENT_SECRET or run "
		    "on a terminal");
	}
	th_secret_add(secret);

	p = jv_object();
	p = jv_object_set(p, jv_string("client_id"), jv_string(cid));
	p = jv_object_set(p, jv_string("client_secret"), jv_string(secret));
	p = jv_object_set(p, jv_string("code"), jv_string(code));
	p = jv_object_set(p, jv_string("grant_type"), jv_string("authorization_code"));
	p = jv_object_set(p, jv_string("redirect_uri"), jv_string(ru));
	explicit_bzero(code, strlen(code));
	free(code);
	if ((rc = th_api_call("POST", "/oauth/access_token", p, &res)) != 0)
		goto fail;
	/* user_id is a number above 2^53 here: never used, /me says */
	shorttok = th_jv_strdup(res.body, "access_token");
	th_api_res_free(&res);
	if (shorttok == NULL) {
		rc = th_msg(TH_EUNAVAIL, "code exchange: no access_token in the answer");
		goto out;
	}
	th_secret_add(shorttok);
	/* a GET with the secret and the token in the query: the only form
	 * the endpoint takes (th-auth(1), CAVEATS) */
	p = jv_object();
	p = jv_object_set(p, jv_string("grant_type"), jv_string("th_exchange_token"));
	p = jv_object_set(p, jv_string("client_secret"), jv_string(secret));
	if ((rc = th_api_get_tokq("/access_token", p, shorttok, &res)) != 0)
		goto fail;
	longtok = th_jv_strdup(res.body, "access_token");
	{
		jv e = jv_object_get(jv_copy(res.body), jv_string("expires_in"));
		expin = jv_get_kind(e) == JV_KIND_NUMBER ? th_jv_num(e) : 0;
		jv_free(e);
	}
	th_api_res_free(&res);
	if (longtok == NULL) {
		rc = th_msg(TH_EUNAVAIL, "token exchange: no access_token in the answer");
		goto out;
	}
	th_secret_add(longtok);
	a.expires_at = expin > 0 ? time(NULL) + expin : 0;
	rc = store(&a, longtok);
	longtok = NULL;		/* a owns it now */
	goto out;
fail:
	rc = th_api_report(&res, "login");
	th_api_res_free(&res);
out:
	explicit_bzero(secret, sizeof(secret));
	if (shorttok)
		explicit_bzero(shorttok, strlen(shorttok));
	free(shorttok);
	free(longtok);
	th_auth_account_free(&a);
	return rc;
}

/* fn for every stored account; none at all is 77. */
static int
eachaccount(th_account_fn *fn, void *arg)
{
	int n, rc = th_auth_foreach(fn, arg, &n);

	if (n == 0)
		return th_msg(TH_EAUTH, "no accounts: run th-auth login");
	return rc;
}

/*
 * One status record. a is the stored account, or NULL for TH_ACCESS_TOKEN.
 * debug_token tells validity, expiry and scopes; when the app cannot ask
 * it (not a tester), /me still tells whether the token works.
 */
static int
status_rec(const char *name, const char *tok, struct th_account *a,
    const char *def)
{
	struct th_api_res res;
	char when[32], why[512] = "";
	long long left, exp = a != NULL ? a->expires_at : 0, iss = 0;
	int valid, orc;
	jv o, d, sc = jv_null(), v;

	if (th_auth_debug(tok, &d, why, sizeof(why)) == 0) {
		valid = jv_get_kind(v = jv_object_get(jv_copy(d),
		    jv_string("is_valid"))) == JV_KIND_TRUE;
		jv_free(v);
		sc = jv_object_get(jv_copy(d), jv_string("scopes"));
		if (jv_get_kind(sc) != JV_KIND_ARRAY) {
			jv_free(sc);
			sc = jv_null();
		}
		if (exp == 0) {	/* TH_ACCESS_TOKEN, or not known at login */
			v = jv_object_get(jv_copy(d), jv_string("expires_at"));
			if (jv_get_kind(v) == JV_KIND_NUMBER && jv_number_value(v) > 0)
				exp = th_jv_num(v);
			jv_free(v);
			v = jv_object_get(jv_copy(d), jv_string("issued_at"));
			if (jv_get_kind(v) == JV_KIND_NUMBER)
				iss = th_jv_num(v);
			jv_free(v);
		}
		jv_free(d);
	} else {
		th_api_set_token(tok);
		valid = th_api_call("GET", "me", jv_object_set(jv_object(),
		    jv_string("fields"), jv_string("id")), &res) == 0;
		if (!valid && res.status != TH_EAUTH)
			th_api_report(&res, name);	/* the API is down, not the token */
		th_api_res_free(&res);
	}
	left = exp ? exp - (long long)time(NULL) : 0;
	o = jv_object();
	o = jv_object_set(o, jv_string("account"), jv_string(name));
	if (a != NULL) {
		o = jv_object_set(o, jv_string("username"), jv_string(a->username));
		o = jv_object_set(o, jv_string("user_id"), jv_string(a->user_id));
		iss = a->issued_at;
	}
	o = jv_object_set(o, jv_string("issued_at"), iss ?
	    jv_string(isotime(iss, when, sizeof(when))) : jv_null());
	o = jv_object_set(o, jv_string("expires_at"), exp ?
	    jv_string(isotime(exp, when, sizeof(when))) : jv_null());
	o = jv_object_set(o, jv_string("days_left"), exp ?
	    jv_number(left > 0 ? (double)(left / 86400) : 0) : jv_null());
	o = jv_object_set(o, jv_string("expiry_known"), jv_bool(exp != 0));
	o = jv_object_set(o, jv_string("valid"), jv_bool(valid));
	if (jv_get_kind(sc) != JV_KIND_NULL)
		o = jv_object_set(o, jv_string("scopes"), sc);
	o = jv_object_set(o, jv_string("default"),
	    jv_bool(def != NULL && strcmp(def, name) == 0));
	if ((orc = th_out_emit(o)) != 0)
		return orc;
	if (failwithin >= 0 && (!valid || (exp != 0 && left < failwithin * 86400))) {
		th_msg(TH_EAUTH, "%s: %s", name, !valid ? "the token is not valid" :
		    "the token expires within the window");
		return TH_EAUTH;
	}
	if (a == NULL && valid && exp != 0 && left <= 7 * 86400LL)
		th_msg(0, "warning: TH_ACCESS_TOKEN expires in %lld days", left / 86400);
	if (valid && exp == 0)
		th_msg(0, "%s: the token's expiry is unknown (debug_token: %s); %s",
		    name, why[0] ? why : "no expires_at", a != NULL ?
		    "th refreshes it once it is 24 h old, which tells" :
		    "TH_ACCESS_TOKEN_EXPIRES can say it");
	return 0;
}

static int
status1(const char *name, void *arg)
{
	struct th_account a;
	int rc;

	if ((rc = th_auth_load(name, &a)) != 0)
		return rc;
	rc = status_rec(name, a.token, &a, arg);
	th_auth_account_free(&a);
	return rc;
}

static int
accounts1(const char *name, void *arg)
{
	struct th_account a;
	char *def = arg;
	int rc;
	jv o;

	if ((rc = th_auth_load(name, &a)) != 0)
		return rc;
	o = jv_object();
	o = jv_object_set(o, jv_string("account"), jv_string(name));
	o = jv_object_set(o, jv_string("username"), jv_string(a.username));
	o = jv_object_set(o, jv_string("default"),
	    jv_bool(def != NULL && strcmp(def, name) == 0));
	th_auth_account_free(&a);
	return th_out_emit(o);
}

int
main(int argc, char **argv)
{
	char name[sizeof(th_cfg.account)], *tok, *def;
	const char *cmd;
	int c, rc, did;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_WITH_TOKEN:
			withtoken = 1;
			break;
		case OPT_FAIL_WITHIN:
			failwithin = days(optarg, "--fail-within");
			break;
		case OPT_IF_WITHIN:
			ifwithin = days(optarg, "--if-within");
			break;
		case OPT_DEFAULT:
			setdefault = optarg;
			break;
		case OPT_SCOPES:
			scopes = optarg;
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(TH_EUSAGE);
	cmd = argv[0];
	th_cli_ready();
	if (th_cfg.account[0] != '\0' && !th_auth_valid_name(th_cfg.account))
		th_die(TH_EUSAGE, "bad account name '%s'", th_cfg.account);

	if (strcmp(cmd, "login") == 0)
		th_exit(withtoken ? login_token() : login_oauth());
	if (strcmp(cmd, "status") == 0) {
		def = th_auth_get_default();
		if ((tok = getenv("TH_ACCESS_TOKEN")) != NULL && tok[0] != '\0' &&
		    !th_cfg.account_opt)
			rc = status_rec("TH_ACCESS_TOKEN", tok, NULL, NULL);
		else if (th_cfg.account[0] != '\0')
			rc = status1(th_cfg.account, def);
		else
			rc = eachaccount(status1, def);
		free(def);
		th_exit(rc);
	}
	if (strcmp(cmd, "accounts") == 0) {
		if (setdefault != NULL) {
			struct th_account a;
			if ((rc = th_auth_load(setdefault, &a)) != 0)
				th_exit(rc);
			th_auth_account_free(&a);
			th_exit(th_auth_set_default(setdefault));
		}
		def = th_auth_get_default();
		rc = eachaccount(accounts1, def);
		free(def);
		th_exit(rc);
	}
	if ((rc = th_auth_account_name(name, sizeof(name))) != 0)
		th_exit(rc);
	if (strcmp(cmd, "refresh") == 0) {
		if (ifwithin >= 0) {
			struct th_account a;
			if ((rc = th_auth_load(name, &a)) != 0)
				th_exit(rc);
			did = a.expires_at - (long long)time(NULL) > ifwithin * 86400LL;
			th_auth_account_free(&a);
			if (did)
				th_exit(0);	/* not within the window: nothing to do */
		}
		if ((rc = th_auth_refresh(name, 1, &did)) == 0 && did)
			th_msg(0, "account %s: token refreshed", name);
		th_exit(rc);
	}
	if (strcmp(cmd, "token") == 0) {
		if ((rc = th_auth_token(&tok)) != 0)
			th_exit(rc);
		/* raw, for piping into a secret store: the one non-JSON output */
		if (printf("%s\n", tok) < 0)
			rc = TH_EIO;
		explicit_bzero(tok, strlen(tok));
		free(tok);
		th_exit(rc);
	}
	if (strcmp(cmd, "logout") == 0) {
		if ((rc = th_auth_remove(name)) == 0)
			th_msg(0, "account %s removed", name);
		th_exit(rc);
	}
	th_die(TH_EUSAGE, "unknown command '%s'", cmd);
}
