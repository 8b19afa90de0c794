/* auth: accounts, token files, refresh. */
#ifndef TH_AUTH_H
#define TH_AUTH_H

#include <limits.h>
#include <stddef.h>

#include <jv.h>

/* One stored account: $XDG_CONFIG_HOME/th/accounts/NAME, a JSON object. */
struct th_account {
	char		 name[65];
	char		*token;		/* secret; wiped by th_auth_account_free */
	char		 username[64];
	char		 user_id[32];	/* always a string: ids pass no double */
	long long	 issued_at;	/* epoch seconds */
	long long	 expires_at;	/* epoch seconds, 0 if unknown: then it
					 * is refreshed once 24 h old, and the
					 * refresh's expires_in tells */
};

#define TH_REFRESH_AGE		86400		/* Threads: >= 24 h old */
#define TH_REFRESH_WINDOW	(14 * 86400)	/* auto-refresh this close to expiry */

/*
 * Find the token: TH_ACCESS_TOKEN, then --token-file / TH_TOKEN_FILE, then
 * the account's file, refreshed first when it is due (>= 24 h old and
 * within 14 days of expiry), under the account's lock. *tok is malloc'd
 * and registered as a secret. Returns 0, 77 (none, or expired) or 78 (a
 * file others can read, not ours, a symlink, or unparsable), after a message.
 */
int th_auth_token(char **tok);
/* The same, as api's token provider (th_api_token_fn): uid gets the user
 * id of the account the token came from, "" when none (TH_ACCESS_TOKEN,
 * a token file). */
int th_auth_provide(char **tok, char *uid, size_t size);
/* The account to use: -a, TH_ACCOUNT, config "account", the default, or
 * the only one. Returns 0, or 77 after a message. */
int th_auth_account_name(char *name, size_t size);
/* Call fn for every stored account; *count says how many there are.
 * Returns the merged statuses of fn (th_status_merge). */
typedef int th_account_fn(const char *name, void *arg);
int th_auth_foreach(th_account_fn *fn, void *arg, int *count);
/* Is name a valid account name ([A-Za-z0-9._-], 1-64, no leading dot)? */
int th_auth_valid_name(const char *name);
/* Load an account. Returns 0, 77 (no such account) or 78. */
int th_auth_load(const char *name, struct th_account *a);
/* Save atomically, 0600 in a 0700 directory. Returns 0 or 78. */
int th_auth_save(const struct th_account *a);
/* Remove an account (and the default if it was). Returns 0 or 77. */
int th_auth_remove(const char *name);
void th_auth_account_free(struct th_account *a);
/*
 * After a login, by either path: store the account tok (borrowed) is
 * for, the user from /me, named by -a (th_cfg.account) or else by the
 * username, issued now. expires_at is the token's expiry when the caller
 * knows it, else 0: debug_token is asked, and when it cannot say either
 * the expiry stays unknown, never a guess. Says as whom it logged in.
 * Returns 0 or an exit status, after a message.
 */
int th_auth_login(const char *tok, long long expires_at);
/*
 * Refresh name's token under its lock. With force 0 only when due; with
 * force 1 whenever Threads allows. Returns 0 (refreshed or not due; *did
 * says which), 75 (too young), 77 (expired or refused), or other statuses.
 */
int th_auth_refresh(const char *name, int force, int *did);
/* What debug_token says of a token. */
struct th_tokinfo {
	int		 valid;		/* is_valid */
	long long	 expires_at;	/* epoch seconds; 0 when it does not say */
	long long	 issued_at;	/* epoch seconds as given; 0 when absent */
	jv		 scopes;	/* an array, or jv_null(); the caller's */
};
/*
 * Ask debug_token about tok, into *ti. The caller is tok itself; when
 * that is refused with code 100 (apps in development mode) and the app
 * is known (client_id, client_secret), the app token TH|id|secret asks
 * again. Both go in the query (th_api_get_tokq). Returns 0 or an exit
 * status with the reason in why (ti->scopes is then null), after no
 * message: debug_token is an extra the caller may do without.
 */
int th_auth_debug(const char *tok, struct th_tokinfo *ti, char *why,
    size_t whysize);

/* What th-auth status judges a token by. */
struct th_tokstat {
	int		 valid;		/* 1: the API takes it; 0: refuses it;
					 * -1: could not tell (err says why) */
	int		 err;		/* a failure that was not the token's
					 * (reported), or 0 */
	long long	 expires_at;	/* epoch seconds, 0 when unknown */
	long long	 left;		/* seconds to expires_at, when known */
	char		 why[512];	/* why debug_token could not tell, or "" */
	char		 label[PATH_MAX + 160];	/* for messages: "account 'NAME'
					 * (@user)", "TH_ACCESS_TOKEN (@user)",
					 * "token file PATH (@user)" */
};
/*
 * The status record (owned) of tok. a is the stored account it is
 * (borrowed), or NULL for a token from elsewhere: source then says where,
 * "TH_ACCESS_TOKEN" or a token file's path, and /me tells whose it is.
 * def names the default account (th_auth_get_default()), or is NULL.
 * debug_token tells validity, expiry and scopes; when the app cannot ask
 * it (not a tester), /me still tells whether the token works, and a
 * failure that is not the token's is reported. *st gets what the record
 * says, for the caller to judge.
 */
jv th_auth_status(const char *source, const char *tok,
    const struct th_account *a, const char *def, struct th_tokstat *st);

/* The default account (malloc'd name or NULL): the one default_account
 * names, or else the only account there is, since every verb uses it.
 * Make an account the default (0, or th_auth_load()'s 77 or 78, or 78). */
char *th_auth_get_default(void);
int th_auth_set_default(const char *name);
#endif
