/* fuzz-ndjson: the NDJSON reader, line by line. */
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct th_ndjson r;
	FILE *f;
	jv v;
	int rc, guard = 0;

	if (size == 0 || (f = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	th_ndjson_open(&r, f, "fuzz");
	while ((rc = th_ndjson_next(&r, &v)) != 0 && guard++ < 100000) {
		if (rc == 1) {
			free(th_json_dump(jv_copy(v)));
			jv_free(v);
		}
	}
	th_ndjson_close(&r);
	fclose(f);
	return 0;
}
