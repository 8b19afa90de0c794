/* t-ledger: 8 processes x 200 appends to the ledger while a reader
 * keeps reading it: nothing lost, nothing torn. A torn line (a crash, a
 * full disk) never costs the record after it, and a write cut short is
 * taken back. */
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "json.h"
#include "ledger.h"
#include "tap.h"

#define WRITERS	8
#define EACH	200

/* Read the whole ledger under a shared lock: lines, torn (unparsable or
 * unterminated) lines. */
static void
scan(const char *path, long *lines, long *torn, char *seen)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int fd;
	jv v;

	*lines = *torn = 0;
	if ((fd = open(path, O_RDONLY)) == -1)
		return;
	flock(fd, LOCK_SH);
	f = fdopen(fd, "r");
	while ((n = getdelim(&buf, &cap, '\n', f)) > 0) {
		(*lines)++;
		if (buf[n - 1] != '\n') {
			(*torn)++;
			continue;
		}
		v = th_json_parse(buf, (size_t)n - 1);
		if (jv_get_kind(v) != JV_KIND_OBJECT)
			(*torn)++;
		else if (seen != NULL) {
			jv w = jv_object_get(jv_copy(v), jv_string("w"));
			jv k = jv_object_get(jv_copy(v), jv_string("n"));
			if (jv_get_kind(w) == JV_KIND_NUMBER && jv_get_kind(k) == JV_KIND_NUMBER)
				seen[(int)jv_number_value(w) * EACH + (int)jv_number_value(k)]++;
			jv_free(w);
			jv_free(k);
		}
		jv_free(v);
	}
	free(buf);
	fclose(f);
}

/* A container record of uid u1 for key. */
static jv
container(const char *key, const char *cid)
{
	return jv_object_set(jv_object_set(jv_object_set(jv_object_set(
	    jv_object_set(jv_object(), jv_string("event"), jv_string("container")),
	    jv_string("uid"), jv_string("u1")), jv_string("key"), jv_string(key)),
	    jv_string("part"), jv_number(1)), jv_string("container"), jv_string(cid));
}

/* The container ids the ledger holds for key, space-separated. */
static char *
containers(const char *key)
{
	static char buf[256];
	jv recs = th_ledger_find("u1", key);

	buf[0] = '\0';
	jv_array_foreach(recs, i, r) {
		jv c = jv_object_get(r, jv_string("container"));
		if (jv_get_kind(c) == JV_KIND_STRING) {
			if (buf[0] != '\0')
				strlcat(buf, " ", sizeof(buf));
			strlcat(buf, jv_string_value(c), sizeof(buf));
		}
		jv_free(c);
	}
	jv_free(recs);
	return buf;
}

static void
addbytes(const char *path, const char *s)
{
	FILE *f = fopen(path, "a");

	if (f == NULL || fputs(s, f) == EOF || fclose(f) != 0)
		abort();
}

/* catcherr() sends stderr to errpath; releaseerr() puts it back and
 * returns what was said meanwhile. */
static char errpath[600];
static int savederr = -1;

static void
catcherr(void)
{
	int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	fflush(stderr);
	savederr = dup(2);
	dup2(fd, 2);
	close(fd);
}

static char *
releaseerr(void)
{
	static char buf[2048];
	FILE *f;
	size_t n;

	fflush(stderr);
	dup2(savederr, 2);
	close(savederr);
	buf[0] = '\0';
	if ((f = fopen(errpath, "r")) != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

static off_t
filesize(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

static int
lastbyte(const char *path)
{
	char c;
	int fd = open(path, O_RDONLY), r = -1;

	if (fd != -1 && lseek(fd, -1, SEEK_END) != -1 && read(fd, &c, 1) == 1)
		r = (unsigned char)c;
	if (fd != -1)
		close(fd);
	return r;
}

int
main(void)
{
	char dir[] = "/tmp/t-ledger.XXXXXX", path[512], cmd[600];
	char seen[WRITERS * EACH];
	long lines, torn, reads = 0, badreads = 0;
	pid_t pid[WRITERS], reader;
	int i, k, status, failed = 0, once = 1, like;

	if (mkdtemp(dir) == NULL)
		return 1;
	setenv("XDG_STATE_HOME", dir, 1);
	if (th_config_load() != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/th/ledger", dir);

	for (i = 0; i < WRITERS; i++) {
		if ((pid[i] = fork()) == 0) {
			for (k = 0; k < EACH; k++)
				if (th_ledger_append(jv_object_set(jv_object_set(
				    jv_object_set(jv_object(), jv_string("event"),
				    jv_string("test")), jv_string("w"), jv_number(i)),
				    jv_string("n"), jv_number(k))) != 0)
					_exit(1);
			_exit(0);
		}
	}
	/* the reader: every read while the writers run must parse whole */
	if ((reader = fork()) == 0) {
		int bad = 0, n = 0;
		for (;;) {
			scan(path, &lines, &torn, NULL);
			n++;
			bad += torn != 0;
			if (lines >= WRITERS * EACH)
				break;
			usleep(2000);
		}
		_exit(bad ? 2 : n > 255 ? 255 : n);
	}
	for (i = 0; i < WRITERS; i++) {
		waitpid(pid[i], &status, 0);
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	waitpid(reader, &status, 0);
	reads = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	badreads = WIFEXITED(status) && WEXITSTATUS(status) == 2;
	ok(failed == 0, "%d writers x %d appends: every append succeeded", WRITERS, EACH);
	ok(!badreads, "a reader reading all along (%ld reads) never saw a torn line", reads);
	memset(seen, 0, sizeof(seen));
	scan(path, &lines, &torn, seen);
	ok(lines == WRITERS * EACH, "the ledger has %ld lines of %d", lines, WRITERS * EACH);
	ok(torn == 0, "every line parses");
	for (i = 0; i < WRITERS * EACH; i++)
		once &= seen[i] == 1;
	ok(once, "every (writer, n) is there exactly once");

	/* --- a torn line: the reproduction ------------------------------- */
	snprintf(errpath, sizeof(errpath), "%s/err", dir);
	addbytes(path, "{\"event\":\"container\",\"uid\":\"1784");
	catcherr();
	k = th_ledger_append(container("b", "c-b"));
	like = strstr(releaseerr(), "the last line was cut short") != NULL;
	is_int(k, 0, "a record after a torn line: appended");
	ok(like, "  saying the last line was cut short");
	catcherr();
	is_str(containers("b"), "c-b", "  and read back: the torn line did not swallow it");
	snprintf(cmd, sizeof(cmd), "ledger %s line %d: a torn record", path,
	    WRITERS * EACH + 1);
	ok(strstr(releaseerr(), cmd) != NULL,
	    "  the reader skips the torn line, naming the file and its line");
	catcherr();
	is_str(containers("b"), "c-b", "read again in the same process");
	is_str(releaseerr(), "", "  the same torn line is named once");
	scan(path, &lines, &torn, NULL);
	is_int(torn, 1, "the torn line stays one line, ended (its bytes are kept)");
	is_int(lastbyte(path), '\n', "  and the ledger ends with a newline");

	/* --- a record glued onto a torn line by an earlier version ------------ */
	addbytes(path, "{\"event\":\"container\",\"uid\":\"17{\"event\":"
	    "\"container\",\"uid\":\"u1\",\"key\":\"g\",\"part\":1,"
	    "\"container\":\"c-g\",\"time\":1}\n");
	catcherr();
	is_str(containers("g"), "c-g", "a record an earlier version glued onto a torn line is read");
	ok(strstr(releaseerr(), "the record after it on that line is read") != NULL,
	    "  and the torn start is named");

	/* --- a short write: a file size limit makes write() stop part-way ------ */
	{
		struct rlimit old, lim;
		off_t before = filesize(path);
		int rc;

		signal(SIGXFSZ, SIG_IGN);
		getrlimit(RLIMIT_FSIZE, &old);
		lim = old;
		lim.rlim_cur = (rlim_t)before + 20;	/* room for 20 bytes of it */
		setrlimit(RLIMIT_FSIZE, &lim);
		catcherr();
		rc = th_ledger_append(container("s", "c-s1"));
		like = strstr(releaseerr(), "File too large") != NULL;
		setrlimit(RLIMIT_FSIZE, &old);
		is_int(rc, 74, "a write cut short (file size limit): 74");
		ok(like, "  saying why");
		is_int(filesize(path), before, "  and the part written is taken back");
		is_int(lastbyte(path), '\n', "  the ledger still ends with a newline");
		is_str(containers("s"), "", "  no record of it");
		catcherr();
		is_int(th_ledger_append(container("s", "c-s2")), 0, "the next append");
		ok(strstr(releaseerr(), "cut short") == NULL, "  finds no torn line to end");
		is_str(containers("s"), "c-s2", "  and is read back");
		scan(path, &lines, &torn, NULL);
		is_int(torn, 2, "no torn line but the two made by hand");
	}

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return done_testing();
}
