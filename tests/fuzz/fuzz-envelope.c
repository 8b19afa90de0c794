/* fuzz-envelope: JSON parsing and error classification of an answer. */
#include <stdio.h>
#include <stdlib.h>

#include "api.h"
#include "json.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 400, 401, 429, 500, 502 };
	char why[512], *next;
	jv body, detail;

	body = th_json_parse((const char *)data, size);
	th_api_classify(statuses[size % 6], jv_is_valid(body) ? body : jv_null(),
	    &detail, why, sizeof(why));
	jv_free(detail);
	if (jv_is_valid(body)) {
		next = th_api_nextcursor(body);
		free(next);
		free(th_jv_idstr(body, "id"));
		th_jv_time(body, "timestamp");
	}
	jv_free(body);
	return 0;
}
