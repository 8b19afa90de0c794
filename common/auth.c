/*
 * auth: where the token comes from and how it stays alive. A token is
 * never taken from argv. Files holding one must be regular files, owned
 * by the user and private to them, or th refuses them (exit 78) rather
 * than use a secret that may already have leaked. Stored long-lived
 * tokens are refreshed when due, under a per-account lock, so twenty
 * verbs started by cron at the same minute send one refresh, not twenty.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "auth.h"
#include "config.h"
#include "json.h"
#include "msg.h"
#include "secret.h"
#include "store.h"

#define TOKEN_FILE_MAX	65536

/* Read a private file whole. Returns 0, or 77/78 after a message. */
static int
readprivate(const char *path, char **buf, size_t *len)
{
	struct stat st;
	char *b;
	ssize_t n;
	size_t off = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return th_msg(TH_EAUTH, "%s: no such token file", path);
		if (errno == ELOOP)
			return th_msg(TH_ECONFIG, "%s: is a symbolic link: token files "
			    "must be regular files", path);
		return th_msg(TH_ECONFIG, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return th_msg(TH_ECONFIG, "%s: not a regular file", path);
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return th_msg(TH_ECONFIG, "%s: owned by another user (uid %u)",
		    path, (unsigned)st.st_uid);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return th_msg(TH_ECONFIG, "%s: readable by others (mode %03o): "
		    "run chmod 600 %s and consider the token leaked",
		    path, (unsigned)(st.st_mode & 0777), path);
	}
	if (st.st_size > TOKEN_FILE_MAX) {
		close(fd);
		return th_msg(TH_ECONFIG, "%s: too large for a token file", path);
	}
	if ((b = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return th_msg(TH_ECONFIG, "out of memory");
	}
	while (off < (size_t)st.st_size &&
	    (n = read(fd, b + off, (size_t)st.st_size - off)) > 0)
		off += (size_t)n;
	close(fd);
	b[off] = '\0';
	*buf = b;
	*len = off;
	return 0;
}

static int
fromfile(const char *path, char **tok)
{
	char *b, *e;
	size_t len;
	int rc;

	if ((rc = readprivate(path, &b, &len)) != 0)
		return rc;
	/* a bare token file: the first line */
	e = b + strcspn(b, "\r\n");
	*e = '\0';
	if (b[0] == '\0') {
		free(b);
		return th_msg(TH_EAUTH, "%s: empty token file", path);
	}
	*tok = strdup(b);
	explicit_bzero(b, len);
	free(b);
	return 0;
}

int
th_auth_valid_name(const char *name)
{
	size_t n = strlen(name);

	return n >= 1 && n <= 64 && name[0] != '.' &&
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == n;
}

static int
accpath(char *buf, size_t size, const char *name, const char *suffix)
{
	if ((size_t)snprintf(buf, size, "%s/accounts/%s%s%s", th_cfg.config_dir,
	    suffix ? "." : "", name, suffix ? suffix : "") >= size)
		return th_msg(TH_ECONFIG, "account path too long");
	return 0;
}

/* $XDG_CONFIG_HOME/th/leaf into buf. Returns 0 or 78. */
static int
cfgpath(char *buf, size_t size, const char *leaf)
{
	if ((size_t)snprintf(buf, size, "%s/%s", th_cfg.config_dir, leaf) >= size)
		return th_msg(TH_ECONFIG, "configuration path too long");
	return 0;
}

int
th_auth_load(const char *name, struct th_account *a)
{
	char path[PATH_MAX], *b, *u, *id;
	size_t len;
	jv v;
	int rc;

	memset(a, 0, sizeof(*a));
	if (!th_auth_valid_name(name))
		return th_msg(TH_EUSAGE, "bad account name '%s'", name);
	if ((rc = accpath(path, sizeof(path), name, NULL)) != 0)
		return rc;
	if (access(path, F_OK) == -1 && errno == ENOENT)
		return th_msg(TH_EAUTH, "no account '%s': run th-auth login", name);
	if ((rc = readprivate(path, &b, &len)) != 0)
		return rc;
	v = th_json_parse(b, len);
	explicit_bzero(b, len);
	free(b);
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		jv_free(v);
		return th_msg(TH_ECONFIG, "%s: not a th account file", path);
	}
	strlcpy(a->name, name, sizeof(a->name));
	a->token = th_jv_strdup(v, "access_token");
	u = th_jv_idstr(v, "username");
	id = th_jv_idstr(v, "user_id");
	strlcpy(a->username, u ? u : "", sizeof(a->username));
	strlcpy(a->user_id, id ? id : "", sizeof(a->user_id));
	free(u);
	free(id);
	a->issued_at = th_jv_getnum(v, "issued_at");
	a->expires_at = th_jv_getnum(v, "expires_at");
	jv_free(v);
	if (a->token == NULL)
		return th_msg(TH_ECONFIG, "%s: no access_token", path);
	th_secret_add(a->token);
	return 0;
}

int
th_auth_save(const struct th_account *a)
{
	char path[PATH_MAX], dir[PATH_MAX], *s;
	jv o;
	int rc;

	if ((rc = accpath(path, sizeof(path), a->name, NULL)) != 0)
		return rc;
	if ((rc = cfgpath(dir, sizeof(dir), "accounts")) != 0)
		return rc;
	if (th_store_mkdirs(dir, 0700) == -1)
		return th_msg(TH_ECONFIG, "%s: %s", dir, strerror(errno));
	o = jv_object();
	o = jv_object_set(o, jv_string("access_token"), jv_string(a->token));
	o = jv_object_set(o, jv_string("username"), jv_string(a->username));
	o = jv_object_set(o, jv_string("user_id"), jv_string(a->user_id));
	o = jv_object_set(o, jv_string("issued_at"), jv_number((double)a->issued_at));
	o = jv_object_set(o, jv_string("expires_at"), jv_number((double)a->expires_at));
	if ((s = th_json_dump(o)) == NULL)
		return th_msg(TH_ECONFIG, "out of memory");
	rc = th_store_replace(path, s, strlen(s), 0600);
	explicit_bzero(s, strlen(s));
	free(s);
	if (rc == -1)
		return th_msg(TH_ECONFIG, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

void
th_auth_account_free(struct th_account *a)
{
	if (a->token != NULL) {
		explicit_bzero(a->token, strlen(a->token));
		free(a->token);
	}
	memset(a, 0, sizeof(*a));
}

static int soleaccount(char *, size_t);

char *
th_auth_get_default(void)
{
	char path[PATH_MAX], buf[80];
	FILE *f;
	char *r = NULL;

	if (cfgpath(path, sizeof(path), "default_account") == 0 &&
	    (f = fopen(path, "r")) != NULL) {
		if (fgets(buf, sizeof(buf), f) != NULL) {
			buf[strcspn(buf, "\r\n")] = '\0';
			if (th_auth_valid_name(buf))
				r = strdup(buf);
		}
		fclose(f);
	}
	/* a lone account is the one every verb uses: say so */
	if (r == NULL && soleaccount(buf, sizeof(buf)))
		r = strdup(buf);
	return r;
}

int
th_auth_set_default(const char *name)
{
	struct th_account a;
	char path[PATH_MAX], buf[80];
	int rc;

	if ((rc = th_auth_load(name, &a)) != 0)
		return rc;	/* only an account there is */
	th_auth_account_free(&a);
	if (th_store_mkdirs(th_cfg.config_dir, 0700) == -1)
		return th_msg(TH_ECONFIG, "%s: %s", th_cfg.config_dir, strerror(errno));
	if (cfgpath(path, sizeof(path), "default_account") != 0)
		return TH_ECONFIG;
	snprintf(buf, sizeof(buf), "%s\n", name);
	if (th_store_replace(path, buf, strlen(buf), 0600) == -1)
		return th_msg(TH_ECONFIG, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

int
th_auth_remove(const char *name)
{
	char path[PATH_MAX], *d;
	int rc;

	if ((rc = accpath(path, sizeof(path), name, NULL)) != 0)
		return rc;
	if (unlink(path) == -1)
		return th_msg(errno == ENOENT ? TH_EAUTH : TH_ECONFIG, "%s: %s",
		    path, strerror(errno));
	if (accpath(path, sizeof(path), name, "lock") == 0)
		unlink(path);
	if ((d = th_auth_get_default()) != NULL && strcmp(d, name) == 0) {
		if (cfgpath(path, sizeof(path), "default_account") == 0)
			unlink(path);
	}
	free(d);
	return 0;
}

int
th_auth_foreach(th_account_fn *fn, void *arg, int *count)
{
	char dir[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	*count = 0;
	if (cfgpath(dir, sizeof(dir), "accounts") != 0 ||
	    (dp = opendir(dir)) == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL) {
		/* lock files start with a dot; temporaries carry .tmp */
		if (!th_auth_valid_name(d->d_name) || strstr(d->d_name, ".tmp") != NULL)
			continue;
		(*count)++;
		if (fn != NULL)
			rc = th_status_merge(rc, fn(d->d_name, arg));
	}
	closedir(dp);
	return rc;
}

static int
firstname(const char *name, void *arg)
{
	char *buf = arg;

	if (buf[0] == '\0')
		strlcpy(buf, name, 65);
	return 0;
}

/* The only account there is, if there is exactly one. */
static int
soleaccount(char *name, size_t size)
{
	char first[65] = "";
	int n;

	th_auth_foreach(firstname, first, &n);
	if (n != 1)
		return 0;
	strlcpy(name, first, size);
	return 1;
}

int
th_auth_account_name(char *name, size_t size)
{
	char *d;
	int n;

	if (th_cfg.account[0] != '\0') {
		strlcpy(name, th_cfg.account, size);
		return 0;
	}
	if ((d = th_auth_get_default()) != NULL) {
		strlcpy(name, d, size);
		free(d);
		return 0;
	}
	th_auth_foreach(firstname, (char [65]){ "" }, &n);
	if (n > 1)
		return th_msg(TH_EAUTH, "%d accounts and none is the default: -a "
		    "NAME, or th-auth accounts --default NAME", n);
	return th_msg(TH_EAUTH, "no token: run th-auth login, or set TH_ACCESS_TOKEN");
}

/* Due for a refresh: old enough, and close to its expiry or with an
 * expiry nobody could tell (the refresh's answer will). */
static int
due(const struct th_account *a, time_t now)
{
	if (now - a->issued_at < TH_REFRESH_AGE)
		return 0;
	return a->expires_at == 0 ||
	    (a->expires_at > now && a->expires_at - now <= TH_REFRESH_WINDOW);
}

int
th_auth_refresh(const char *name, int force, int *did)
{
	struct th_account a;
	struct th_api_res res;
	char lock[PATH_MAX], dir[PATH_MAX], when[32];
	time_t now;
	long long expin;
	char *tok;
	int fd, rc;

	*did = 0;
	if ((rc = cfgpath(dir, sizeof(dir), "accounts")) != 0 ||
	    (rc = accpath(lock, sizeof(lock), name, "lock")) != 0)
		return rc;
	if (th_store_mkdirs(dir, 0700) == -1 || (fd = th_store_lock(lock)) == -1)
		return th_msg(TH_ECONFIG, "cannot lock %s: %s", lock, strerror(errno));
	/* read again under the lock: another process may have refreshed */
	if ((rc = th_auth_load(name, &a)) != 0) {
		th_store_unlock(fd);
		return rc;
	}
	now = time(NULL);
	if (a.expires_at != 0 && now >= a.expires_at) {
		th_time_human(a.expires_at, when);
		rc = th_msg(TH_EAUTH, "account %s: the token expired on %s and cannot "
		    "be refreshed: run th-auth login -a %s", name, when, name);
		goto out;
	}
	if (!force && !due(&a, now))
		goto out;
	if (now - a.issued_at < TH_REFRESH_AGE) {
		th_time_human(a.issued_at + TH_REFRESH_AGE, when);
		rc = th_msg(TH_ETEMP, "account %s: the token is %lld h old; Threads "
		    "refreshes tokens once they are 24 h old: try after %s", name,
		    (long long)(now - a.issued_at) / 3600, when);
		goto out;
	}
	rc = th_api_get_tokq("/refresh_access_token",
	    jv_object_set(jv_object(), jv_string("grant_type"),
	    jv_string("th_refresh_token")), a.token, &res);
	if (rc != 0) {
		th_api_report(&res, "refresh");
		th_api_res_free(&res);
		goto out;
	}
	tok = th_jv_strdup(res.body, "access_token");
	expin = th_jv_getnum(res.body, "expires_in");
	th_api_res_free(&res);
	if (tok == NULL) {
		rc = th_msg(TH_EUNAVAIL, "refresh: the answer has no access_token");
		goto out;
	}
	th_secret_add(tok);
	explicit_bzero(a.token, strlen(a.token));
	free(a.token);
	a.token = tok;
	a.issued_at = now;
	a.expires_at = expin > 0 ? now + expin : 0;	/* never a guess */
	if ((rc = th_auth_save(&a)) == 0) {
		*did = 1;
		th_api_set_token(a.token);
	}
out:
	th_auth_account_free(&a);
	th_store_unlock(fd);
	return rc;
}

static int
debug1(const char *tok, const char *caller, jv *data, struct th_api_res *res)
{
	int rc;

	rc = th_api_get_tokq("debug_token", jv_object_set(jv_object(),
	    jv_string("input_token"), jv_string(tok)), caller, res);
	if (rc == 0) {
		*data = jv_object_get(jv_copy(res->body), jv_string("data"));
		if (jv_get_kind(*data) != JV_KIND_OBJECT) {
			jv_free(*data);
			*data = jv_null();
			snprintf(res->why, sizeof(res->why), "the answer has no data");
			rc = res->status = TH_EUNAVAIL;
		}
	}
	return rc;
}

int
th_auth_debug(const char *tok, struct th_tokinfo *ti, char *why,
    size_t whysize)
{
	struct th_api_res res;
	char *app;
	jv data = jv_null(), v;
	int rc;

	memset(ti, 0, sizeof(*ti));
	ti->scopes = jv_null();
	rc = debug1(tok, tok, &data, &res);
	/* development-mode apps refuse a user token as the caller (code
	 * 100); the app token TH|id|secret is accepted there */
	if (rc != 0 && th_api_errcode(&res, "code") == 100 &&
	    th_cfg.client_id[0] != '\0' && th_cfg.client_secret[0] != '\0') {
		th_api_res_free(&res);
		if (asprintf(&app, "TH|%s|%s", th_cfg.client_id,
		    th_cfg.client_secret) == -1)
			th_die(TH_EIO, "out of memory");
		th_secret_add(app);
		rc = debug1(tok, app, &data, &res);
		explicit_bzero(app, strlen(app));
		free(app);
	}
	if (rc != 0 && why != NULL)
		snprintf(why, whysize, "%s", res.why);
	th_api_res_free(&res);
	if (rc != 0)
		return rc;
	v = th_jv_get(data, "is_valid");
	ti->valid = jv_get_kind(v) == JV_KIND_TRUE;
	jv_free(v);
	if (jv_get_kind(v = th_jv_get(data, "scopes")) == JV_KIND_ARRAY)
		ti->scopes = v;
	else
		jv_free(v);
	if ((ti->expires_at = th_jv_getnum(data, "expires_at")) < 0)
		ti->expires_at = 0;
	ti->issued_at = th_jv_getnum(data, "issued_at");
	jv_free(data);
	return 0;
}

/* Check tok against /me; fill username and id. Returns 0 or a status,
 * after a message prefixed what -- none for a refused token (77) when
 * quiet, for the caller to say it its own way. */
static int
whoami(const char *tok, struct th_account *a, const char *what, int quiet)
{
	struct th_api_res res;
	char *u, *id;
	int rc;

	th_api_set_token(tok);
	rc = th_api_call("GET", "me", jv_object_set(jv_object(),
	    jv_string("fields"), jv_string("id,username")), &res);
	if (rc != 0) {
		if (!quiet || rc != TH_EAUTH)
			rc = th_api_report(&res, what);
		th_api_res_free(&res);
		return rc;
	}
	u = th_jv_strdup(res.body, "username");
	id = th_jv_idstr(res.body, "id");	/* a string from /me, always */
	th_api_res_free(&res);
	if (u == NULL || id == NULL)
		rc = th_msg(TH_EUNAVAIL, "/me answered without id and username");
	else {
		strlcpy(a->username, u, sizeof(a->username));
		strlcpy(a->user_id, id, sizeof(a->user_id));
	}
	free(u);
	free(id);
	return rc;
}

/* Issue and expiry times from debug_token, when the app may ask; why
 * says why not. */
static void
debugtimes(const char *tok, struct th_account *a, char *why, size_t whysize)
{
	struct th_tokinfo ti;

	if (th_auth_debug(tok, &ti, why, whysize) != 0)
		return;
	jv_free(ti.scopes);
	a->expires_at = ti.expires_at;
	if (ti.issued_at > 0 && a->expires_at != 0)
		a->issued_at = ti.issued_at;
}

int
th_auth_login(const char *tok, long long expires_at)
{
	struct th_account a;
	char why[512] = "", *dflt = NULL;
	int rc;

	memset(&a, 0, sizeof(a));
	a.token = th_strdup(tok);
	a.expires_at = expires_at;
	if ((rc = whoami(tok, &a, "cannot verify the token", 0)) != 0)
		goto out;
	strlcpy(a.name, th_cfg.account[0] != '\0' ? th_cfg.account :
	    a.username, sizeof(a.name));
	if (!th_auth_valid_name(a.name)) {
		rc = th_msg(TH_EUSAGE, "bad account name '%s'", a.name);
		goto out;
	}
	a.issued_at = time(NULL);
	if (a.expires_at == 0)
		debugtimes(tok, &a, why, sizeof(why));
	/* the lone account every verb used stays the default, written down
	 * now: a second login must not leave every cron job with none */
	if ((dflt = th_auth_get_default()) != NULL && strcmp(dflt, a.name) != 0 &&
	    (rc = th_auth_set_default(dflt)) != 0)
		goto out;
	if ((rc = th_auth_save(&a)) != 0)
		goto out;
	th_msg(0, "logged in as @%s (account %s)", a.username, a.name);
	if (dflt != NULL && strcmp(dflt, a.name) != 0)
		th_msg(0, "the default account is still '%s': -a %s, or th-auth "
		    "accounts --default %s", dflt, a.name, a.name);
	/* never a guess: a pasted token may be weeks old already */
	if (a.expires_at == 0)
		th_msg(0, "the token's expiry is unknown (debug_token: %s); th "
		    "refreshes it once it is 24 h old, which tells", why[0] ?
		    why : "no expires_at");
out:
	free(dflt);
	th_auth_account_free(&a);
	return rc;
}

/* t as the API writes a time, or null when it is not known (0) or has
 * no date (a year past int: gmtime_r fails). */
static jv
isotime(long long t)
{
	char buf[32];

	return t != 0 && th_time_format(t, buf) > 0 ? jv_string(buf) : jv_null();
}

jv
th_auth_status(const char *source, const char *tok, const struct th_account *a,
    const char *def, struct th_tokstat *st)
{
	struct th_tokinfo ti;
	struct th_account u;	/* whose token: the account's, or /me's */
	char path[PATH_MAX];
	long long iss = 0;
	int rc, asked;
	jv o = jv_object();

	memset(st, 0, sizeof(*st));
	memset(&u, 0, sizeof(u));
	if (a != NULL) {
		strlcpy(u.username, a->username, sizeof(u.username));
		strlcpy(u.user_id, a->user_id, sizeof(u.user_id));
		st->expires_at = a->expires_at;
		iss = a->issued_at;
		snprintf(st->label, sizeof(st->label), "account '%s'%s%s%s",
		    a->name, a->username[0] ? " (@" : "", a->username,
		    a->username[0] ? ")" : "");
	} else if (strcmp(source, "TH_ACCESS_TOKEN") == 0)
		snprintf(st->label, sizeof(st->label), "%s", source);
	else
		snprintf(st->label, sizeof(st->label), "token file %s", source);
	if ((asked = th_auth_debug(tok, &ti, st->why, sizeof(st->why)) == 0)) {
		st->valid = ti.valid;
		if (st->expires_at == 0) {	/* not stored, or unknown at login */
			st->expires_at = ti.expires_at;
			if (a == NULL)
				iss = ti.issued_at;
		}
	}
	/* /me tells whether the token works when debug_token cannot, and
	 * whose a token from outside the accounts is; a failure that is
	 * not the token's (the API is down) is reported, and leaves
	 * validity unknown unless debug_token told it */
	if (!asked || (a == NULL && st->valid)) {
		rc = whoami(tok, &u, st->label, 1);
		if (rc == 0 || rc == TH_EAUTH)
			st->valid = rc == 0;
		else {
			st->err = rc;
			if (!asked)
				st->valid = -1;
		}
	}
	st->left = st->expires_at ? st->expires_at - (long long)time(NULL) : 0;
	if (a == NULL && u.username[0] != '\0')
		snprintf(st->label + strlen(st->label), sizeof(st->label) -
		    strlen(st->label), " (@%s)", u.username);
	if (a != NULL && accpath(path, sizeof(path), a->name, NULL) == 0)
		source = path;
	o = jv_object_set(o, jv_string("account"), a != NULL ?
	    jv_string(a->name) : jv_null());
	o = jv_object_set(o, jv_string("source"), jv_string(source));
	o = jv_object_set(o, jv_string("username"), u.username[0] != '\0' ?
	    jv_string(u.username) : jv_null());
	o = jv_object_set(o, jv_string("user_id"), u.user_id[0] != '\0' ?
	    jv_string(u.user_id) : jv_null());
	o = jv_object_set(o, jv_string("issued_at"), isotime(iss));
	o = jv_object_set(o, jv_string("expires_at"), isotime(st->expires_at));
	o = jv_object_set(o, jv_string("days_left"), st->expires_at ? jv_number(
	    st->left > 0 ? (double)(st->left / 86400) : 0) : jv_null());
	o = jv_object_set(o, jv_string("expiry_known"), jv_bool(st->expires_at != 0));
	o = jv_object_set(o, jv_string("valid"), st->valid < 0 ? jv_null() :
	    jv_bool(st->valid));
	if (jv_get_kind(ti.scopes) != JV_KIND_NULL)	/* null when not asked */
		o = jv_object_set(o, jv_string("scopes"), ti.scopes);
	/* a token from outside the accounts is the one every verb uses */
	return jv_object_set(o, jv_string("default"), jv_bool(a == NULL ||
	    (def != NULL && strcmp(def, a->name) == 0)));
}

/* TH_ACCESS_TOKEN is used as is; TH_ACCESS_TOKEN_EXPIRES (epoch seconds),
 * when the job knows it, buys a warning a week ahead. */
static void
envexpiry(void)
{
	const char *e = getenv("TH_ACCESS_TOKEN_EXPIRES");
	char *end, when[32];
	long long t, left;

	if (e == NULL || e[0] == '\0')
		return;
	t = strtoll(e, &end, 10);
	if (*end != '\0' || t <= 0) {
		th_msg(0, "warning: TH_ACCESS_TOKEN_EXPIRES is not epoch seconds: ignored");
		return;
	}
	left = t - (long long)time(NULL);
	if (left > 7 * 86400LL)
		return;
	th_time_human(t, when);
	if (left <= 0)
		th_msg(0, "warning: TH_ACCESS_TOKEN expired on %s", when);
	else
		th_msg(0, "warning: TH_ACCESS_TOKEN expires on %s (%lld days): "
		    "refresh it and update the secret", when, left / 86400);
}

/* th_auth_token(), and the user id of the account it took the token
 * from into uid (size bytes; "" for TH_ACCESS_TOKEN and token files). */
static int
findtoken(char **tok, char *uid, size_t size)
{
	struct th_account a;
	char name[sizeof(th_cfg.account)], when[32], fix[160];
	const char *e;
	time_t now;
	int rc, did;

	*tok = NULL;
	/* a job that names its account must never post as another: -a wins
	 * over TH_ACCESS_TOKEN and TH_TOKEN_FILE */
	if (th_cfg.account_opt && th_cfg.token_file_opt)
		return th_msg(TH_EUSAGE, "-a and --token-file name two tokens: "
		    "give one of them");
	if ((e = getenv("TH_ACCESS_TOKEN")) != NULL && e[0] == '\0')
		e = NULL;
	if (e != NULL && th_cfg.account_opt) {
		if (th_opts.verbose)
			th_msg(0, "-a %s: the stored account, not TH_ACCESS_TOKEN",
			    th_cfg.account);
		e = NULL;
	}
	if (e != NULL) {
		envexpiry();
		*tok = strdup(e);
		th_api_token_fix("set another TH_ACCESS_TOKEN, or unset it to "
		    "use a stored account");
	} else if (th_cfg.token_file[0] != '\0' && !th_cfg.account_opt) {
		if ((rc = fromfile(th_cfg.token_file, tok)) != 0)
			return rc;
		th_api_token_fix("put a new token in the --token-file");
	} else {
		if ((rc = th_auth_account_name(name, sizeof(name))) != 0)
			return rc;
		snprintf(fix, sizeof(fix), "run th-auth login -a %s", name);
		th_api_token_fix(fix);
		if ((rc = th_auth_load(name, &a)) != 0)
			return rc;
		now = time(NULL);
		if (a.expires_at != 0 && now >= a.expires_at) {
			th_time_human(a.expires_at, when);
			th_auth_account_free(&a);
			return th_msg(TH_EAUTH, "account %s: the token expired on %s: "
			    "run th-auth login -a %s", name, when, name);
		}
		if (due(&a, now)) {
			th_auth_account_free(&a);
			/* a failed refresh is not fatal while the token lives */
			if (th_auth_refresh(name, 0, &did) > 0)
				th_msg(0, "account %s: automatic refresh failed; the "
				    "token still works for now", name);
			if ((rc = th_auth_load(name, &a)) != 0)
				return rc;
		}
		*tok = a.token;
		a.token = NULL;
		if (uid != NULL)
			strlcpy(uid, a.user_id, size);
		th_auth_account_free(&a);
	}
	if (*tok == NULL)
		return th_msg(TH_EAUTH, "out of memory");
	th_secret_add(*tok);
	return 0;
}

int
th_auth_token(char **tok)
{
	return findtoken(tok, NULL, 0);
}

int
th_auth_provide(char **tok, char *uid, size_t size)
{
	uid[0] = '\0';
	return findtoken(tok, uid, size);
}
