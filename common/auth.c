/*
 * auth: token lookup. A token is never taken from argv; files holding one
 * must be private to their owner, or th refuses them (exit 78) rather
 * than use a secret that may already have leaked.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "config.h"
#include "json.h"
#include "secret.h"

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
		return th_msg(TH_ECONFIG, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return th_msg(TH_ECONFIG, "%s: not a regular file", path);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return th_msg(TH_ECONFIG, "%s: readable by others (mode %03o): "
		    "run chmod 600 and consider the token leaked",
		    path, (unsigned)(st.st_mode & 0777));
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

static int
fromaccount(const char *path, char **tok)
{
	char *b;
	size_t len;
	jv v;
	int rc;

	if ((rc = readprivate(path, &b, &len)) != 0)
		return rc;
	v = th_json_parse(b, len);
	explicit_bzero(b, len);
	free(b);
	if (!jv_is_valid(v)) {
		jv_free(v);
		return th_msg(TH_ECONFIG, "%s: not a th account file", path);
	}
	*tok = th_jv_strdup(v, "access_token");
	jv_free(v);
	if (*tok == NULL)
		return th_msg(TH_ECONFIG, "%s: no access_token", path);
	return 0;
}

/* The account to use when none is named: the only one there is. */
static int
soleaccount(char *name, size_t size)
{
	char dir[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	int n = 0;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/accounts",
	    th_cfg.config_dir) >= sizeof(dir) || (dp = opendir(dir)) == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (n++ == 0)
			strlcpy(name, d->d_name, size);
	}
	closedir(dp);
	return n == 1;
}

int
th_auth_token(char **tok)
{
	char path[PATH_MAX], name[sizeof(th_cfg.account)];
	const char *e;
	int rc;

	*tok = NULL;
	if ((e = getenv("TH_ACCESS_TOKEN")) != NULL && e[0] != '\0')
		*tok = strdup(e);
	else if (th_cfg.token_file[0] != '\0') {
		if ((rc = fromfile(th_cfg.token_file, tok)) != 0)
			return rc;
	} else {
		if (th_cfg.account[0] != '\0')
			strlcpy(name, th_cfg.account, sizeof(name));
		else if (!soleaccount(name, sizeof(name)))
			return th_msg(TH_EAUTH, "no token: run th-auth login, or set "
			    "TH_ACCESS_TOKEN");
		if (name[0] == '.' || strchr(name, '/') != NULL)
			return th_msg(TH_EUSAGE, "bad account name '%s'", name);
		if ((size_t)snprintf(path, sizeof(path), "%s/accounts/%s",
		    th_cfg.config_dir, name) >= sizeof(path))
			return th_msg(TH_ECONFIG, "account path too long");
		if (access(path, F_OK) == -1)
			return th_msg(TH_EAUTH, "no account '%s': run th-auth login", name);
		if ((rc = fromaccount(path, tok)) != 0)
			return rc;
	}
	if (*tok == NULL)
		return th_msg(TH_EAUTH, "out of memory");
	th_secret_add(*tok);
	return 0;
}
