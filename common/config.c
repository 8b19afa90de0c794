/*
 * config: defaults, then the config file ($XDG_CONFIG_HOME/th/config,
 * "key = value" lines, '#' comments), then the environment. Command-line
 * options are applied by cli on top of this.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "msg.h"
#include "secret.h"

struct th_config th_cfg;

/* The app secret stays in th_cfg while th runs, and not a moment after. */
static void
wipesecret(void)
{
	explicit_bzero(th_cfg.client_secret, sizeof(th_cfg.client_secret));
	explicit_bzero(th_cfg.hook_verify_token, sizeof(th_cfg.hook_verify_token));
}

static int
xdgdir(char *buf, size_t size, const char *env, const char *fallback)
{
	const char *v = getenv(env), *home;

	/* XDG says relative paths are invalid and must be ignored. */
	if (v != NULL && v[0] == '/') {
		if ((size_t)snprintf(buf, size, "%s/th", v) >= size)
			return -1;
		return 0;
	}
	if ((home = getenv("HOME")) == NULL || home[0] == '\0')
		return -1;
	if ((size_t)snprintf(buf, size, "%s/%s/th", home, fallback) >= size)
		return -1;
	return 0;
}

static int
isloopback(const char *host)
{
	if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
		return 1;
	/* 127.0.0.0/8, written as a dotted quad */
	if (strncmp(host, "127.", 4) == 0) {
		const char *p;
		for (p = host + 4; *p != '\0'; p++)
			if (!isdigit((unsigned char)*p) && *p != '.')
				return 0;
		return 1;
	}
	return 0;
}

int
th_config_set_base(const char *base)
{
	const char *host, *end;
	size_t n;
	int https;

	if (strncmp(base, "https://", 8) == 0) {
		https = 1;
		host = base + 8;
	} else if (strncmp(base, "http://", 7) == 0) {
		https = 0;
		host = base + 7;
	} else
		return th_msg(78, "bad API base '%s': want https://HOST[:PORT]", base);
	n = strlen(base);
	if (n >= sizeof(th_cfg.api_base))
		return th_msg(78, "API base too long");
	if (n > 0 && base[n - 1] == '/')
		n--;
	if ((end = strchr(host, '/')) != NULL && end < base + n)
		return th_msg(78, "bad API base '%s': scheme, host and port only", base);
	end = base + n;
	/* host without the port; [v6] keeps its brackets */
	{
		const char *colon = host[0] == '[' ? strchr(host, ']') : strchr(host, ':');
		size_t hl;
		if (host[0] == '[' && colon != NULL)
			colon++;
		if (colon == NULL || colon > end)
			colon = end;
		hl = colon - host;
		if (hl == 0 || hl >= sizeof(th_cfg.api_host))
			return th_msg(78, "bad API base '%s': no host", base);
		memcpy(th_cfg.api_host, host, hl);
		th_cfg.api_host[hl] = '\0';
		if (*colon == ':') {
			const char *p;
			for (p = colon + 1; p < end; p++)
				if (!isdigit((unsigned char)*p))
					return th_msg(78, "bad API base '%s': bad port", base);
		} else if (colon != end)
			return th_msg(78, "bad API base '%s'", base);
	}
	th_cfg.loopback = isloopback(th_cfg.api_host);
	if (!https && !th_cfg.loopback)
		return th_msg(78, "refusing plain http to %s: the token would travel "
		    "in clear (http is allowed for loopback only)", th_cfg.api_host);
	memcpy(th_cfg.api_base, base, n);
	th_cfg.api_base[n] = '\0';
	return 0;
}

static int
setnum(long *dst, const char *name, const char *val, long min, long max)
{
	const char *errstr;
	long long n = strtonum(val, min, max, &errstr);

	if (errstr != NULL)
		return th_msg(78, "%s '%s' is %s (%ld..%ld)", name, val, errstr,
		    min, max);
	*dst = (long)n;
	return 0;
}

/* HOST:PORT on loopback: fediverse servers are reached there in plain
 * http, each named by its Host header. Anything else would send reads
 * meant for https servers in clear over a network. */
static int
setfediconnect(const char *val, const char *where)
{
	const char *colon = strrchr(val, ':'), *errstr;
	char host[64];
	size_t n;

	if (colon == NULL || (n = (size_t)(colon - val)) == 0 || n >= sizeof(host))
		return th_msg(78, "%s: fedi_connect '%s': want HOST:PORT", where, val);
	memcpy(host, val, n);
	host[n] = '\0';
	strtonum(colon + 1, 1, 65535, &errstr);
	if (errstr != NULL)
		return th_msg(78, "%s: fedi_connect '%s': bad port", where, val);
	if (!isloopback(host))
		return th_msg(78, "%s: fedi_connect '%s': loopback only (it "
		    "turns https into plain http)", where, val);
	strlcpy(th_cfg.fedi_connect, val, sizeof(th_cfg.fedi_connect));
	return 0;
}

static int
setkey(const char *key, const char *val, const char *where)
{
	if (strcmp(key, "api_base") == 0)
		return th_config_set_base(val);
	if (strcmp(key, "account") == 0) {
		if (strlcpy(th_cfg.account, val, sizeof(th_cfg.account)) >=
		    sizeof(th_cfg.account))
			return th_msg(78, "%s: account name too long", where);
		return 0;
	}
	if (strcmp(key, "timeout") == 0)
		return setnum(&th_cfg.timeout, key, val, 1, 86400);
	if (strcmp(key, "connect_timeout") == 0)
		return setnum(&th_cfg.connect_timeout, key, val, 1, 600);
	if (strcmp(key, "low_speed_time") == 0)
		return setnum(&th_cfg.low_speed_time, key, val, 1, 3600);
	if (strcmp(key, "retries") == 0)
		return setnum(&th_cfg.retries, key, val, 0, 20);
	if (strcmp(key, "backoff_ms") == 0)
		return setnum(&th_cfg.backoff_ms, key, val, 1, 60000);
	if (strcmp(key, "max_body") == 0)
		return setnum(&th_cfg.max_body, key, val, 1024, 1L << 30);
	if (strcmp(key, "upload_cmd") == 0) {
		if (strlcpy(th_cfg.upload_cmd, val, sizeof(th_cfg.upload_cmd)) >=
		    sizeof(th_cfg.upload_cmd))
			return th_msg(78, "%s: upload_cmd too long", where);
		return 0;
	}
	if (strcmp(key, "fedi_connect") == 0)
		return setfediconnect(val, where);
	if (strcmp(key, "client_id") == 0) {
		if (val[0] == '\0' || strspn(val, "0123456789") != strlen(val) ||
		    strlcpy(th_cfg.client_id, val, sizeof(th_cfg.client_id)) >=
		    sizeof(th_cfg.client_id))
			return th_msg(78, "%s: client_id: want the Threads app id "
			    "(digits)", where);
		return 0;
	}
	if (strcmp(key, "client_secret") == 0) {
		th_atexit(wipesecret);
		if (strlcpy(th_cfg.client_secret, val, sizeof(th_cfg.client_secret)) >=
		    sizeof(th_cfg.client_secret))
			return th_msg(78, "%s: client_secret too long", where);
		th_secret_add(th_cfg.client_secret);
		return 0;
	}
	if (strcmp(key, "hook_verify_token") == 0) {
		th_atexit(wipesecret);
		if (strlcpy(th_cfg.hook_verify_token, val,
		    sizeof(th_cfg.hook_verify_token)) >= sizeof(th_cfg.hook_verify_token))
			return th_msg(78, "%s: hook_verify_token too long", where);
		th_secret_add(th_cfg.hook_verify_token);
		return 0;
	}
	if (strcmp(key, "hook_spool") == 0) {
		if (val[0] != '/' || strlcpy(th_cfg.hook_spool, val,
		    sizeof(th_cfg.hook_spool)) >= sizeof(th_cfg.hook_spool))
			return th_msg(78, "%s: hook_spool: want an absolute path", where);
		return 0;
	}
	if (strcmp(key, "hook_exec") == 0) {
		if (strlcpy(th_cfg.hook_exec, val, sizeof(th_cfg.hook_exec)) >=
		    sizeof(th_cfg.hook_exec))
			return th_msg(78, "%s: hook_exec too long", where);
		return 0;
	}
	/* Keys owned by verbs that do not exist yet are not errors. */
	return 0;
}

/*
 * The config file names the API host th sends the token to and a command
 * it runs (upload_cmd): it gets the token file's rules. Owned by the user
 * (through any symlink), written by nobody else; private to the user when
 * it holds the app secret.
 */
static int
checkfile(const char *path, int fd, struct stat *st)
{
	if (fstat(fd, st) == -1)
		return th_msg(78, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st->st_mode))
		return th_msg(78, "%s: not a regular file", path);
	if (st->st_uid != geteuid())
		return th_msg(78, "%s: owned by another user (uid %u): th does not "
		    "take its API host or commands from a file someone else "
		    "controls", path, (unsigned)st->st_uid);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return th_msg(78, "%s: writable by others (mode %03o): run chmod "
		    "go-w %s", path, (unsigned)(st->st_mode & 0777), path);
	return 0;
}

static int
readfile(const char *path)
{
	FILE *f;
	struct stat st;
	char *line = NULL, *k, *v, *e, where[PATH_MAX + 32];
	size_t cap = 0;
	long lineno = 0;
	int rc = 0, fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		return th_msg(78, "%s: %s", path, strerror(errno));
	}
	if ((rc = checkfile(path, fd, &st)) != 0) {
		close(fd);
		return rc;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return th_msg(78, "%s: %s", path, strerror(errno));
	}
	while (rc == 0 && getline(&line, &cap, f) != -1) {
		lineno++;
		for (k = line; isspace((unsigned char)*k); k++)
			;
		if (*k == '#' || *k == '\0')
			continue;
		if ((v = strchr(k, '=')) == NULL) {
			rc = th_msg(78, "%s:%ld: expected key = value", path, lineno);
			break;
		}
		for (e = v; e > k && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		for (v++; isspace((unsigned char)*v); v++)
			;
		for (e = v + strlen(v); e > v && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		snprintf(where, sizeof(where), "%s:%ld", path, lineno);
		if ((strcmp(k, "client_secret") == 0 ||
		    strcmp(k, "hook_verify_token") == 0) &&
		    (st.st_mode & (S_IRWXG | S_IRWXO)))
			rc = th_msg(78, "%s: holds %s but others can "
			    "read it (mode %03o): run chmod 600 %s and consider "
			    "the secret leaked", where, k,
			    (unsigned)(st.st_mode & 0777), path);
		else
			rc = setkey(k, v, where);
		explicit_bzero(line, strlen(line));
	}
	free(line);
	fclose(f);
	return rc;
}

int
th_config_load(void)
{
	static const struct { const char *env, *key; } envs[] = {
		{ "TH_API_BASE", "api_base" },
		{ "TH_ACCOUNT", "account" },
		{ "TH_TIMEOUT", "timeout" },
		{ "TH_CONNECT_TIMEOUT", "connect_timeout" },
		{ "TH_LOW_SPEED_TIME", "low_speed_time" },
		{ "TH_RETRIES", "retries" },
		{ "TH_BACKOFF_MS", "backoff_ms" },
		{ "TH_MAX_BODY", "max_body" },
		{ "TH_UPLOAD_CMD", "upload_cmd" },
		{ "TH_FEDI_CONNECT", "fedi_connect" },
		{ "TH_CLIENT_ID", "client_id" },
		{ "TH_CLIENT_SECRET", "client_secret" },
		{ "TH_HOOK_VERIFY_TOKEN", "hook_verify_token" },
		{ "TH_HOOK_SPOOL", "hook_spool" },
		{ "TH_HOOK_EXEC", "hook_exec" },
	};
	char path[PATH_MAX];
	const char *v;
	size_t i;
	int rc;

	memset(&th_cfg, 0, sizeof(th_cfg));
	th_cfg.timeout = 60;
	th_cfg.connect_timeout = 10;
	th_cfg.low_speed_time = 20;
	th_cfg.retries = 4;
	th_cfg.backoff_ms = 500;
	th_cfg.max_body = 8L << 20;
	if ((rc = th_config_set_base("https://graph.threads.net")) != 0)
		return rc;
	if (xdgdir(th_cfg.config_dir, sizeof(th_cfg.config_dir),
	    "XDG_CONFIG_HOME", ".config") == -1 ||
	    xdgdir(th_cfg.data_dir, sizeof(th_cfg.data_dir),
	    "XDG_DATA_HOME", ".local/share") == -1 ||
	    xdgdir(th_cfg.state_dir, sizeof(th_cfg.state_dir),
	    "XDG_STATE_HOME", ".local/state") == -1)
		return th_msg(78, "cannot find a home: set HOME or the XDG_* variables");

	if ((size_t)snprintf(path, sizeof(path), "%s/config",
	    th_cfg.config_dir) >= sizeof(path))
		return th_msg(78, "config path too long");
	if ((rc = readfile(path)) != 0)
		return rc;
	for (i = 0; i < sizeof(envs) / sizeof(envs[0]); i++)
		if ((v = getenv(envs[i].env)) != NULL && v[0] != '\0')
			if ((rc = setkey(envs[i].key, v, envs[i].env)) != 0)
				return rc;
	if ((v = getenv("TH_TOKEN_FILE")) != NULL && v[0] != '\0' &&
	    strlcpy(th_cfg.token_file, v, sizeof(th_cfg.token_file)) >=
	    sizeof(th_cfg.token_file))
		return th_msg(78, "TH_TOKEN_FILE: path too long");
	/* Environment only, checked against the final API base: a CA that
	 * is trusted for every https request is for the test's TLS proxy on
	 * loopback, never a way to let someone else's certificate carry the
	 * token. */
	if ((v = getenv("TH_TEST_CA")) != NULL && v[0] != '\0') {
		if (!th_cfg.loopback)
			return th_msg(78, "TH_TEST_CA: refused for %s: a test CA is "
			    "trusted for a loopback API only", th_cfg.api_host);
		if (access(v, R_OK) == -1)
			return th_msg(78, "TH_TEST_CA: %s: %s", v, strerror(errno));
		if (strlcpy(th_cfg.test_ca, v, sizeof(th_cfg.test_ca)) >=
		    sizeof(th_cfg.test_ca))
			return th_msg(78, "TH_TEST_CA: path too long");
	}
	return 0;
}
