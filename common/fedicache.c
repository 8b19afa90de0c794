/*
 * fedicache: what an account resolved to (its outbox, or its statuses in
 * Mastodon's API), kept for the process's life and for a day in
 * $XDG_STATE_HOME/th/fedi, so that follow mode and cron runs read the
 * outbox alone, or its first page alone when the outbox links to it
 * (a warm account costs one request, a list of them one round trip);
 * an entry that stops working is dropped and the account
 * looked up again. The file is read once and written once, at exit,
 * when something changed. It is a cache: a torn or strange line is
 * skipped, and a failure to write it is said with -v alone.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "fedicache.h"
#include "json.h"
#include "msg.h"
#include "store.h"
#include "url.h"

#define KNOWN_TTL	86400	/* how long a resolved account is trusted */

struct known {
	char		*source, *username, *url;
	char		*first;	/* the outbox's first page, or NULL */
	enum th_fedi_via via;
	long long	 at;	/* when it was resolved */
	int		 gone;	/* stopped working: neither used nor saved */
	struct known	*next;
};
static struct known *known;
static int loaded, dirty;

static void
knownpath(char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/fedi", th_cfg.state_dir) >= size)
		buf[0] = '\0';
}

static struct known *
findknown(const char *source)
{
	struct known *k;

	for (k = known; k != NULL; k = k->next)
		if (strcmp(k->source, source) == 0)
			return k;
	return NULL;
}

static struct known *
addknown(const char *source, const char *username, const char *url,
    enum th_fedi_via via, long long at)
{
	struct known *k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		th_die(TH_EIO, "out of memory");
	k->source = th_strdup(source);
	k->username = th_strdup(username);
	k->url = th_strdup(url);
	k->via = via;
	k->at = at;
	k->next = known;
	known = k;
	return k;
}

/* One line of the file (a parsed object, borrowed), if it is fresh,
 * whole and not known already. */
static void
loadline(jv o, long long now)
{
	char *src = th_jv_strdup(o, "source"), *user = th_jv_strdup(o, "username"),
	    *url = th_jv_strdup(o, "url"), *via = th_jv_strdup(o, "via"),
	    *first = th_jv_strdup(o, "first");
	struct known *k;
	jv t = th_jv_get(o, "at");
	long long at = jv_get_kind(t) == JV_KIND_NUMBER ? th_jv_num(t) : 0;

	/* a name without a host: written before names were checked */
	if (src && user && (strchr(user, '@') != NULL || th_url_https(user)) &&
	    url && via && th_url_https(url) && at <= now &&
	    now - at < KNOWN_TTL && findknown(src) == NULL &&
	    (strcmp(via, "activitypub") == 0 || strcmp(via, "mastodon-api") == 0)) {
		k = addknown(src, user, url, strcmp(via, "activitypub") == 0 ?
		    TH_FEDI_OUTBOX : TH_FEDI_STATUSES, at);
		/* a line without it (written before it was kept, or by an
		 * outbox with its first page inside) costs one more request */
		if (k->via == TH_FEDI_OUTBOX && th_url_https(first))
			k->first = th_strdup(first);
	}
	jv_free(t);
	free(first);
	free(src);
	free(user);
	free(url);
	free(via);
}

/* The file's entries (NDJSON) that are fresh and not known already. */
static void
loadknown(void)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	long long now = (long long)time(NULL);

	knownpath(path, sizeof(path));
	if (path[0] == '\0' || (f = fopen(path, "r")) == NULL)
		return;
	while ((n = getline(&line, &cap, f)) > 0) {
		jv o = th_json_parse(line, (size_t)n);
		loadline(o, now);
		jv_free(o);
	}
	free(line);
	fclose(f);
}

static void
load(void)
{
	if (loaded)
		return;
	loaded = 1;
	th_atexit(th_fedicache_cleanup);
	loadknown();
}

/* Write what is known, with what other processes wrote meanwhile. */
static void
saveknown(void)
{
	char path[PATH_MAX], *d;
	struct known *k;
	jv out = jv_string("");

	knownpath(path, sizeof(path));
	if (path[0] == '\0')
		return;
	loadknown();
	for (k = known; k != NULL; k = k->next) {
		jv o;
		if (k->gone)
			continue;
		o = jv_object();
		o = jv_object_set(o, jv_string("source"), jv_string(k->source));
		o = jv_object_set(o, jv_string("username"), jv_string(k->username));
		o = jv_object_set(o, jv_string("via"), jv_string(k->via ==
		    TH_FEDI_OUTBOX ? "activitypub" : "mastodon-api"));
		o = jv_object_set(o, jv_string("url"), jv_string(k->url));
		if (k->first != NULL)
			o = jv_object_set(o, jv_string("first"),
			    jv_string(k->first));
		o = jv_object_set(o, jv_string("at"), jv_number((double)k->at));
		if ((d = th_json_dump(o)) == NULL)
			th_die(TH_EIO, "out of memory");
		out = jv_string_append_str(jv_string_append_str(out, d), "\n");
		free(d);
	}
	if (th_store_mkdirs(th_cfg.state_dir, 0700) == -1 ||
	    th_store_replace(path, jv_string_value(out),
	    (size_t)jv_string_length_bytes(jv_copy(out)), 0600) == -1) {
		if (th_opts.verbose)
			th_msg(0, "%s: not saved: %s", path, strerror(errno));
	}
	jv_free(out);
}

int
th_fedicache_find(const char *source, struct th_fedi_known *out)
{
	struct known *k;

	load();
	if ((k = findknown(source)) == NULL || k->gone)
		return 0;
	out->username = k->username;
	out->url = k->url;
	out->first = k->first;
	out->via = k->via;
	out->at = k->at;
	return 1;
}

void
th_fedicache_remember(const char *source, const char *username,
    const char *url, enum th_fedi_via via)
{
	struct known *k;

	load();
	if ((k = findknown(source)) != NULL && !k->gone)
		return;
	if (k != NULL) {	/* looked up again: the new answer */
		th_setstr(&k->username, username);
		th_setstr(&k->url, url);
		free(k->first);
		k->first = NULL;	/* the new outbox's, when it is read */
		k->via = via;
		k->at = (long long)time(NULL);
		k->gone = 0;
	} else
		addknown(source, username, url, via, (long long)time(NULL));
	dirty = 1;
}

void
th_fedicache_first(const char *source, const char *url)
{
	struct known *k;

	load();
	if ((k = findknown(source)) == NULL || k->gone ||
	    k->via != TH_FEDI_OUTBOX ||
	    (k->first != NULL && strcmp(k->first, url) == 0))
		return;
	th_setstr(&k->first, url);
	dirty = 1;
}

void
th_fedicache_forget(const char *source)
{
	struct known *k;

	load();
	if ((k = findknown(source)) != NULL && !k->gone) {
		k->gone = 1;	/* and the file's copy is not merged back */
		dirty = 1;
	}
}

void
th_fedicache_cleanup(void)
{
	struct known *k;

	if (dirty) {
		dirty = 0;	/* first: saveknown() may die, and come back here */
		saveknown();
	}
	while ((k = known) != NULL) {
		known = k->next;
		free(k->source);
		free(k->username);
		free(k->url);
		free(k->first);
		free(k);
	}
	loaded = 0;
}
