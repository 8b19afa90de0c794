/*
 * ledger: what th-post created and published, and what th-delete took
 * back, in $XDG_STATE_HOME/th/ledger: append-only NDJSON, one line per
 * event, written under flock and synced before the caller goes on. It is
 * how a key is published once, how a thread resumes at the part that
 * failed, and how th-delete --last finds th's own posts.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "json.h"
#include "ledger.h"
#include "msg.h"
#include "store.h"

static int
ledgerpath(char *buf, size_t size, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", th_cfg.state_dir, name) >= size)
		return th_msg(TH_EIO, "state path too long");
	if (th_store_mkdirs(th_cfg.state_dir, 0700) == -1)
		return th_msg(TH_EIO, "%s: %s", th_cfg.state_dir, strerror(errno));
	return 0;
}

/* Lines of the ledger that did not parse, warned about already: the file
 * only grows, so a line keeps its number and is named once per process. */
static long tornwarned;

/*
 * Append one line. A record never lands on a torn line: a crash or a full
 * disk under an earlier version can leave the last line without its
 * newline, and this record then starts on a line of its own (the torn
 * bytes are kept, not cut: an unterminated line may be a whole record
 * written by hand). A write that comes out short (a full disk, a file
 * size limit) is taken back with ftruncate, so the ledger is as it was.
 */
int
th_ledger_append(jv rec)
{
	char path[PATH_MAX], *dump, *line, last = '\n';
	const char *p;
	struct stat st;
	size_t len;
	ssize_t w;
	int fd, rc, torn = 0;

	rec = jv_object_set(rec, jv_string("time"), jv_number((double)time(NULL)));
	dump = th_json_dump(rec);
	if (dump == NULL || asprintf(&line, "\n%s\n", dump) == -1) {
		free(dump);
		return th_msg(TH_EIO, "ledger: out of memory");
	}
	free(dump);
	if ((rc = ledgerpath(path, sizeof(path), "ledger")) != 0) {
		free(line);
		return rc;
	}
	/* read access too: the last byte says whether the file ends whole */
	if ((fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) == -1 ||
	    flock(fd, LOCK_EX) == -1 || fstat(fd, &st) == -1 ||
	    (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)) {
		rc = th_msg(TH_EIO, "ledger %s: %s", path, strerror(errno));
		goto out;
	}
	torn = st.st_size > 0 && last != '\n';
	if (torn)
		th_msg(0, "warning: ledger %s: the last line was cut short (a crash "
		    "or a full disk); this record starts on a new line", path);
	p = torn ? line : line + 1;
	len = strlen(p);
	while (len > 0) {
		if ((w = write(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = th_msg(TH_EIO, "ledger %s: %s", path, w == 0 ?
			    "short write" : strerror(errno));
			if (ftruncate(fd, st.st_size) == -1)
				th_msg(0, "warning: ledger %s: a record cut short "
				    "could not be taken back: %s", path, strerror(errno));
			goto out;
		}
		p += w;
		len -= (size_t)w;
	}
	/* the record is whole in the file: a failed fsync leaves it there,
	 * since what it says is true, but the caller must not go on */
	if (fsync(fd) == -1)
		rc = th_msg(TH_EIO, "ledger %s: %s", path, strerror(errno));
out:
	if (fd != -1)
		close(fd);
	free(line);
	return rc;
}

/*
 * One line of the ledger as a record, or jv_invalid(). A line that does
 * not parse is torn: skipped, with a warning naming it. Earlier versions
 * appended onto a torn line, gluing the next record to it; the record is
 * still taken from the line's end, so a torn line never costs the record
 * written after it.
 */
static jv
ledgerline(const char *path, long lineno, char *line, size_t n)
{
	const char *q;
	jv r;

	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n == 0)
		return jv_invalid();
	r = th_json_parse(line, n);
	if (jv_get_kind(r) == JV_KIND_OBJECT)
		return r;
	jv_free(r);
	r = jv_invalid();
	/* th writes "event" first: a record glued on starts with it */
	for (q = line + 1; (q = strstr(q, "{\"event\":")) != NULL; q++) {
		r = th_json_parse(q, n - (size_t)(q - line));
		if (jv_get_kind(r) == JV_KIND_OBJECT)
			break;
		jv_free(r);
		r = jv_invalid();
	}
	if (lineno > tornwarned) {
		tornwarned = lineno;
		th_msg(0, "warning: ledger %s line %ld: a torn record (a crash or a "
		    "full disk cut it short) is skipped%s", path, lineno,
		    jv_is_valid(r) ? "; the record after it on that line is read" : "");
	}
	return r;
}

jv
th_ledger_find(const char *uid, const char *key)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	FILE *f;
	jv out = jv_array(), r, u, k;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/ledger", th_cfg.state_dir) >=
	    sizeof(path))
		return out;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return out;
	if (flock(fd, LOCK_SH) == -1 || (f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return out;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		r = ledgerline(path, ++lineno, line, (size_t)n);
		if (jv_get_kind(r) != JV_KIND_OBJECT) {
			jv_free(r);
			continue;
		}
		u = jv_object_get(jv_copy(r), jv_string("uid"));
		k = jv_object_get(jv_copy(r), jv_string("key"));
		if (jv_get_kind(u) == JV_KIND_STRING &&
		    strcmp(jv_string_value(u), uid) == 0 && (key == NULL ||
		    (jv_get_kind(k) == JV_KIND_STRING &&
		    strcmp(jv_string_value(k), key) == 0)))
			out = jv_array_append(out, r);
		else
			jv_free(r);
		jv_free(u);
		jv_free(k);
	}
	free(line);
	fclose(f);
	return out;
}

int
th_ledger_keylock(const char *uid, const char *key)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	const char *p;
	int fd;

	for (p = uid; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (p = key; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	if ((size_t)snprintf(dir, sizeof(dir), "%s/locks", th_cfg.state_dir) >=
	    sizeof(dir))
		return th_msg(TH_EIO, "state path too long"), -1;
	if (th_store_mkdirs(dir, 0700) == -1) {
		th_msg(TH_EIO, "%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/key-%016llx", dir, (unsigned long long)h);
	if ((fd = th_store_lock(path)) == -1)
		th_msg(TH_EIO, "%s: %s", path, strerror(errno));
	return fd;
}

long long
th_ledger_freeat(const char *uid, const char *event)
{
	jv recs = th_ledger_find(uid, NULL), t;
	long long min = 0, now = time(NULL), v;
	char *ev;

	jv_array_foreach(recs, i, r) {
		ev = th_jv_strdup(r, "event");
		t = jv_object_get(jv_copy(r), jv_string("time"));
		v = th_jv_num(t);
		if (ev != NULL && strcmp(ev, event) == 0 && v > now - 86400 &&
		    (min == 0 || v < min))
			min = v;
		free(ev);
		jv_free(t);
		jv_free(r);
	}
	jv_free(recs);
	return min ? min + 86400 : 0;
}
