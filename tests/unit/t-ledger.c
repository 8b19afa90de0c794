/* t-ledger: 8 processes x 200 appends to the ledger while a reader
 * keeps reading it: nothing lost, nothing torn. */
#include <sys/file.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "json.h"
#include "store.h"
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

int
main(void)
{
	char dir[] = "/tmp/t-ledger.XXXXXX", path[512], cmd[600];
	char seen[WRITERS * EACH];
	long lines, torn, reads = 0, badreads = 0;
	pid_t pid[WRITERS], reader;
	int i, k, status, failed = 0, once = 1;

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
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return done_testing();
}
