/*
 * replay: run a fuzz target over files, as TAP. make check replays the
 * committed corpus of every target through the same code the fuzzer
 * drives, so a crash the fuzzer once found stays fixed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int n;

static void
one(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, r;

	if (f == NULL) {
		printf("not ok %d - %s: cannot open\n", ++n, path);
		return;
	}
	do {
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			if ((buf = realloc(buf, cap)) == NULL)
				exit(2);
		}
		r = fread(buf + len, 1, cap - len, f);
		len += r;
	} while (r > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok %d - %s\n", ++n, strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
}

int
main(int argc, char **argv)
{
	struct dirent *d;
	struct stat st;
	char path[4096];
	DIR *dp;
	int i;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if ((dp = opendir(argv[i])) == NULL)
				continue;
			while ((d = readdir(dp)) != NULL) {
				if (d->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "%s/%s", argv[i], d->d_name);
				one(path);
			}
			closedir(dp);
		} else
			one(argv[i]);
	}
	printf("1..%d\n", n);
	return 0;
}
