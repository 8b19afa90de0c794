/* fuzz-split: the thread splitter, checked against its promises. */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct th_span *sp = NULL;
	size_t bad, reserve, prev = 0;
	int n, i;

	th_text_length(s, size);
	th_text_links(s, size, NULL);
	if (size == 0 || !th_text_utf8(s, size, &bad))
		return 0;
	reserve = data[0] % 12;
	n = th_text_split(s, size, 500, reserve, &sp, &bad);
	for (i = 0; i < n; i++) {
		/* in bounds, in order, non-empty, within the rules */
		if (sp[i].off < prev || sp[i].off + sp[i].len > size || sp[i].len == 0)
			abort();
		if (th_text_length(s + sp[i].off, sp[i].len) + reserve > 500)
			abort();
		if (th_text_links(s + sp[i].off, sp[i].len, NULL) > 5)
			abort();
		if (!th_text_utf8(s + sp[i].off, sp[i].len, &bad))
			abort();	/* cut inside a character */
		prev = sp[i].off + sp[i].len;
	}
	free(sp);
	return 0;
}
