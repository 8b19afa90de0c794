/* text: what Threads counts, checked before anything is sent. */
#ifndef TH_TEXT_H
#define TH_TEXT_H
#include <stddef.h>

/* Is s[0..len) valid UTF-8 (no overlongs, surrogates, > U+10FFFF)?
 * On failure *bad is the offset of the first bad byte. */
int th_text_utf8(const char *s, size_t len, size_t *bad);
/* Is there a NUL or a control character other than \n and \t?
 * Returns the offset of the first one, or -1. s must be valid UTF-8. */
long th_text_control(const char *s, size_t len);
/*
 * Threads' length of valid UTF-8 text: a grapheme counts 1, except an
 * emoji grapheme, which counts its UTF-8 bytes. Limit: 500.
 */
size_t th_text_length(const char *s, size_t len);
/* Distinct links (http://, https://, www.) in s, plus extra (may be NULL)
 * when it is not among them. Limit: 5. */
int th_text_links(const char *s, size_t len, const char *extra);
#endif
