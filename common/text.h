/* text: what Threads counts, checked before anything is sent. */
#ifndef TH_TEXT_H
#define TH_TEXT_H
#include <stddef.h>
#include <stdint.h>

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
/* Code points in valid UTF-8 s[0..len). */
size_t th_text_chars(const char *s, size_t len);
/* Decode the code point at s (left bytes) into *cp; returns its length,
 * 0 when s does not start with valid UTF-8. */
size_t th_text_decode(const char *s, size_t left, uint32_t *cp);

/*
 * Untrusted text (any bytes, NULs included) made harmless for a terminal:
 * nothing in it can move the cursor, retitle, recolour or reorder what is
 * shown. C0 controls and DEL become ^[ ^G ^? (^J for a newline unless
 * TH_TEXT_NL keeps it; a tab is a space unless TH_TEXT_TAB keeps it), C1
 * controls, bidi embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069) and the line and paragraph separators become <U+202E>,
 * and a byte that is not UTF-8 becomes U+FFFD. With TH_TEXT_JSON, s is
 * JSON text and each of them becomes a \u escape instead: the same JSON
 * value. Returns a malloc'd string with no NUL inside, NULL when out of
 * memory.
 */
#define TH_TEXT_NL	0x1
#define TH_TEXT_TAB	0x2
#define TH_TEXT_JSON	0x4
char *th_text_visible(const char *s, size_t len, int flags);

/*
 * Split s (valid UTF-8) into parts that each fit the 500-character rule
 * (limit, minus reserve kept free, e.g. for numbering) and the 5-link
 * rule: at paragraphs, else sentences, else words; never inside a word
 * (so never inside a URL) or a grapheme cluster. Parts are trimmed byte
 * ranges of s, in *spans (malloc'd). Returns their number, or -1 when a
 * single word does not fit (*bad is its offset).
 */
struct th_span {
	size_t	off, len;
};
int th_text_split(const char *s, size_t len, size_t limit, size_t reserve,
    struct th_span **spans, size_t *bad);
#endif
