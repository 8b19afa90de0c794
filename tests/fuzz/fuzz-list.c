/* fuzz-list: sources and list lines, as a person might write them. */
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct th_list l;
	char out[TH_SRC_MAX], why[256], *copy;
	const char *p, *e, *end;
	size_t i;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	/* the whole input as one source, both ways */
	th_source(copy, 0, out, why, sizeof(why));
	th_source(copy, 1, out, why, sizeof(why));
	th_list_valid_name(copy);
	/* the input as a list file */
	memset(&l, 0, sizeof(l));
	end = copy + size;
	for (p = copy; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		if (l.n == l.cap) {
			l.cap = l.cap ? l.cap * 2 : 16;
			if ((l.line = realloc(l.line, l.cap * sizeof(char *))) == NULL)
				abort();
		}
		l.line[l.n++] = strndup(p, (size_t)(e - p));
	}
	for (i = 0; i < l.n; i++) {
		int k = th_list_source(&l, i, out, why, sizeof(why));
		/* what comes out is a source th would accept again, unchanged */
		if (k >= 0) {
			char again[TH_SRC_MAX];
			if (th_source(out, 0, again, why, sizeof(why)) != k ||
			    strcmp(out, again) != 0)
				abort();
		}
	}
	th_list_free(&l);
	free(copy);
	return 0;
}
