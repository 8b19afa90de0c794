/* fuzz-html: fediverse HTML to text, and outbox items to records, checked
 * against the promises html.h and ap.h make. */
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ap.h"
#include "html.h"
#include "json.h"
#include "text.h"
#include "fuzz.h"

/* Does "pre", in any case, occur in s? */
static int
haspre(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 3 <= n; i++)
		if ((s[i] | 0x20) == 'p' && (s[i + 1] | 0x20) == 'r' &&
		    (s[i + 2] | 0x20) == 'e')
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *t;
	size_t n;
	jv v, r;

	if ((t = th_html_text(s, size)) == NULL)
		abort();
	n = strlen(t);
	/* no control character but newline and tab, whatever came in */
	{
		size_t bad;
		if (th_text_utf8(s, size, &bad) && th_text_control(t, n) != -1)
			abort();
	}
	/* never more than one blank line, none at either end, outside <pre> */
	/* (&nbsp; is a space that stays where it is written) */
	if (memchr(s, '&', size) == NULL && !haspre(s, size)) {
		if (strstr(t, "\n\n\n") != NULL || strstr(t, " \n") != NULL ||
		    strstr(t, "\n ") != NULL)
			abort();
		if (n > 0 && (t[0] == ' ' || t[0] == '\n' || t[n - 1] == ' ' ||
		    t[n - 1] == '\n'))
			abort();
	}
	free(t);

	/* the same bytes as an outbox item and as a Mastodon API status */
	v = th_json_parse(s, size);
	if (jv_is_valid(v)) {
		r = th_ap_record(v, "u@h.example");
		if (jv_get_kind(r) != JV_KIND_NULL && jv_get_kind(r) != JV_KIND_OBJECT)
			abort();
		jv_free(r);
		r = th_ap_status(v, "h.example");
		if (jv_get_kind(r) != JV_KIND_NULL && jv_get_kind(r) != JV_KIND_OBJECT)
			abort();
		jv_free(r);
	}
	jv_free(v);
	return 0;
}
