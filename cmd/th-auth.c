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
 * status prints one NDJSON record per token (whose it is, its expiry),
 * then exits 77 if the API refused any; refresh replaces the token
 * under a lock; token prints it for piping. Tokens never go on argv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <readpassphrase.h>

#include "auth.h"
#include "cli.h"
#include "config.h"
#include "json.h"
#include "oauth.h"
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
    "threads_profile_discovery,threads_location_tagging";

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-auth login [--with-token] [-a name] [--scopes list]\n"
	    "       th-auth status [--fail-within days]\n"
	    "       th-auth refresh [--if-within days]\n"
	    "       th-auth token | logout | accounts [--default name]\n"
	    "       (common: [-v] [--jq filter] [--errors=json])\n",
	    "      --with-token        login: read a token on stdin, no OAuth\n"
	    "      --scopes LIST       login: the OAuth scopes, comma-separated\n"
	    "      --fail-within DAYS  status: fail when a token expires within DAYS\n"
	    "      --if-within DAYS    refresh: only when the token expires within DAYS\n"
	    "      --default NAME      accounts: make NAME the default\n");
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

/* A line of f without its newline, malloc'd; NULL at the end, or after
 * a message (and errno EINVAL) when it holds a NUL. */
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

/* Wipe and free a string that held a secret. */
static void
burn(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
}

static int
login_token(void)
{
	char *tok, buf[4096];
	int rc;

	errno = 0;
	if (isatty(STDIN_FILENO)) {
		/* as the app secret: not echoed, so not left on the screen */
		tok = readpassphrase("Paste the token, then Enter: ", buf,
		    sizeof(buf), RPP_REQUIRE_TTY) != NULL ? th_strdup(buf) : NULL;
		explicit_bzero(buf, sizeof(buf));
	} else
		tok = readline0(stdin);
	if (tok == NULL || tok[0] == '\0') {
		free(tok);
		return errno == EINVAL ? TH_EDATA : th_msg(TH_EDATA, "no token on stdin");
	}
	th_secret_add(tok);
	rc = th_auth_login(tok, 0);
	burn(tok);
	return rc;
}

/* The app's secret into buf: the configuration's, or asked on the
 * terminal, never from argv. */
static int
appsecret(char *buf, size_t size)
{
	if (th_cfg.client_secret[0] != '\0')
		strlcpy(buf, th_cfg.client_secret, size);
	else if (readpassphrase("App secret: ", buf, size, RPP_REQUIRE_TTY) == NULL)
		return th_msg(TH_ECONFIG, "no app secret: set TH_CLIENT_SECRET or run "
		    "on a terminal");
	th_secret_add(buf);
	return 0;
}

static int
login_oauth(void)
{
	struct th_oauth o = { .client_id = th_cfg.client_id,
	    .redirect_uri = getenv("TH_REDIRECT_URI"),
	    .authorize = getenv("TH_AUTHORIZE_URL"), .scopes = scopes };
	char secret[256], *url, *line, *code, *shorttok = NULL, *tok = NULL;
	long long expin;
	int rc;

	if (o.client_id[0] == '\0' || o.redirect_uri == NULL)
		return th_msg(TH_ECONFIG, "login needs TH_CLIENT_ID (or client_id in "
		    "the config) and TH_REDIRECT_URI: your Threads app's id and "
		    "registered redirect URL; or use --with-token");
	url = th_oauth_authorize_url(&o);
	printf("Open this URL, allow access, then paste the address you are "
	    "sent to:\n%s\n", url);
	fflush(stdout);
	free(url);
	if ((line = readline0(stdin)) == NULL)
		return th_msg(TH_EDATA, "no code on stdin");
	th_secret_add(line);
	rc = th_oauth_code(&o, line, &code);
	burn(line);
	if (rc != 0)
		return rc;
	if ((rc = appsecret(secret, sizeof(secret))) == 0 &&
	    (rc = th_oauth_exchange(&o, secret, code, &shorttok)) == 0 &&
	    (rc = th_oauth_longlived(secret, shorttok, &tok, &expin)) == 0)
		rc = th_auth_login(tok, expin > 0 ? time(NULL) + expin : 0);
	explicit_bzero(secret, sizeof(secret));
	burn(code);
	burn(shorttok);
	burn(tok);
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

/* "3 days", "5 hours": how long left seconds is, in the record's unit
 * (whole days, as days_left) until the last day. */
static void
inwords(char *buf, size_t size, long long left)
{
	if (left >= 86400)
		snprintf(buf, size, "%lld day%s", left / 86400,
		    left < 2 * 86400 ? "" : "s");
	else if (left >= 3600)
		snprintf(buf, size, "%lld hour%s", left / 3600,
		    left < 2 * 3600 ? "" : "s");
	else
		snprintf(buf, size, "under an hour");
}

/*
 * The verdict on one record, after it is printed: 77 for a token the
 * API refused, or one that expires within --fail-within; the failure
 * status when the check itself failed; warnings a record cannot carry.
 * name is the stored account, or NULL.
 */
static int
verdict(const char *name, const struct th_tokstat *st)
{
	char when[32], left[32], hint[128] = "";

	if (st->expires_at != 0)
		th_time_human(st->expires_at, when);
	if (name != NULL)
		snprintf(hint, sizeof(hint), ": run th-auth login -a %s", name);
	if (st->valid < 0)
		return st->err;		/* reported where it failed */
	if (!st->valid && st->expires_at != 0 && st->left <= 0)
		return th_msg(TH_EAUTH, "%s: the token expired on %s%s",
		    st->label, when, hint);
	if (!st->valid)
		return th_msg(TH_EAUTH, "%s: the token is not valid: the API "
		    "refused it%s", st->label, hint);
	if (st->expires_at == 0) {
		th_msg(0, "%s: the token's expiry is unknown (debug_token: %s)%s%s",
		    st->label, st->why[0] ? st->why : "no expires_at",
		    failwithin >= 0 ? ", so --fail-within cannot judge it" : "",
		    name != NULL ? "; th refreshes it once it is 24 h old, which "
		    "tells" : "; TH_ACCESS_TOKEN_EXPIRES can say it");
		return st->err;
	}
	inwords(left, sizeof(left), st->left);
	if (failwithin >= 0 && st->left < failwithin * 86400)
		return th_msg(TH_EAUTH, "%s: the token expires in %s (%s), within "
		    "--fail-within %ld", st->label, left, when, failwithin);
	/* stored tokens are refreshed by every verb; others are not */
	if (name == NULL && st->left <= 7 * 86400LL)
		th_msg(0, "warning: %s: the token expires in %s (%s)", st->label,
		    left, when);
	return st->err;
}

/* One status record, then its verdict. a is the stored account, or NULL
 * for a token from source (TH_ACCESS_TOKEN, a token file). */
static int
status_rec(const char *source, const char *tok, struct th_account *a,
    const char *def)
{
	struct th_tokstat st;
	int rc;

	if ((rc = th_out_emit(th_auth_status(source, tok, a, def, &st))) != 0)
		return rc;
	return verdict(a != NULL ? a->name : NULL, &st);
}

static int
status1(const char *name, void *arg)
{
	struct th_account a;
	int rc;

	if ((rc = th_auth_load(name, &a)) != 0)
		return rc;
	rc = status_rec(NULL, a.token, &a, arg);
	th_auth_account_free(&a);
	return rc;
}

/* The token verbs use: TH_ACCESS_TOKEN or the token file, unless -a
 * names an account; else the account named, or every one. Every record
 * is printed before the status says how they fared. */
static int
status(const char *name)
{
	char *tok, *def = th_auth_get_default();
	int rc;

	if ((tok = getenv("TH_ACCESS_TOKEN")) != NULL && tok[0] != '\0' &&
	    !th_cfg.account_opt)
		rc = status_rec("TH_ACCESS_TOKEN", tok, NULL, NULL);
	else if (th_cfg.token_file[0] != '\0' && !th_cfg.account_opt) {
		if ((rc = th_auth_token(&tok)) == 0) {
			rc = status_rec(th_cfg.token_file, tok, NULL, NULL);
			burn(tok);
		}
	} else if (th_cfg.account[0] != '\0')
		rc = status1(th_cfg.account, def);
	else
		rc = eachaccount(status1, def);
	free(def);
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

/* List the accounts, or with --default make one of them the default
 * and print its record, as gh auth switch says what it switched to. */
static int
accounts(const char *name)
{
	char *def;
	int rc;

	if (setdefault != NULL) {
		if ((rc = th_auth_set_default(setdefault)) != 0)
			return rc;
		return accounts1(setdefault, (void *)setdefault);
	}
	def = th_auth_get_default();
	rc = eachaccount(accounts1, def);
	free(def);
	return rc;
}

static int
refresh(const char *name)
{
	struct th_account a;
	int rc, did, later;

	if (ifwithin >= 0) {
		if ((rc = th_auth_load(name, &a)) != 0)
			return rc;
		later = a.expires_at - (long long)time(NULL) > ifwithin * 86400LL;
		th_auth_account_free(&a);
		if (later)
			return 0;	/* not within the window: nothing to do */
	}
	if ((rc = th_auth_refresh(name, 1, &did)) == 0 && did)
		th_msg(0, "account %s: token refreshed", name);
	return rc;
}

static int
token(const char *name)
{
	char *tok;
	int rc;

	if ((rc = th_auth_token(&tok)) != 0)
		return rc;
	/* raw, for piping into a secret store: the one non-JSON output */
	if (printf("%s\n", tok) < 0)
		rc = TH_EIO;
	burn(tok);
	return rc;
}

static int
logout(const char *name)
{
	int rc;

	if ((rc = th_auth_remove(name)) == 0)
		th_msg(0, "account %s removed", name);
	return rc;
}

static int
login(const char *name)
{
	return withtoken ? login_token() : login_oauth();
}

/* The subcommands. refresh and logout act on the account named; token
 * has always wanted one named too, and an unknown command is refused
 * only after that. */
static const struct {
	const char	*name;
	int		(*run)(const char *account);
	int		 named;		/* needs th_auth_account_name() */
} cmds[] = {
	{ "login",	login,		0 },
	{ "status",	status,		0 },
	{ "accounts",	accounts,	0 },
	{ "refresh",	refresh,	1 },
	{ "token",	token,		1 },
	{ "logout",	logout,		1 },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

int
main(int argc, char **argv)
{
	char name[sizeof(th_cfg.account)] = "";
	size_t i;
	int c, rc;

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
	if (argc - optind != 1)
		usage(TH_EUSAGE);
	th_cli_ready();
	if (th_cfg.account[0] != '\0' && !th_auth_valid_name(th_cfg.account))
		th_die(TH_EUSAGE, "bad account name '%s'", th_cfg.account);
	for (i = 0; i < NCMDS && strcmp(cmds[i].name, argv[optind]) != 0; i++)
		continue;
	if ((i == NCMDS || cmds[i].named) &&
	    (rc = th_auth_account_name(name, sizeof(name))) != 0)
		th_exit(rc);
	if (i == NCMDS)
		th_die(TH_EUSAGE, "unknown command '%s'", argv[optind]);
	th_exit(cmds[i].run(name));
}
