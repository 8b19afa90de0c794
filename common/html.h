/* html: the HTML of fediverse posts as plain text. */
#ifndef TH_HTML_H
#define TH_HTML_H
#include <stddef.h>

/*
 * The text of an HTML fragment (a Note's content), malloc'd; NULL only
 * when out of memory. Not a general HTML parser: the subset servers put
 * in posts, converted as th-timeline(1) documents:
 *
 *  - whitespace runs are one space (none at the ends of lines), except
 *    inside <pre>;
 *  - <br> is a newline; <p>, <div>, <blockquote>, <pre>, <h1>..<h6>,
 *    <ul>, <ol> and <li> start a new paragraph, separated by one blank
 *    line (list items by a newline, as "- item");
 *  - a link is its text; when that text is not its address (a mention,
 *    a tag, words), the address follows in angle brackets: "words
 *    <https://...>"; mentions (@...) and tags (#...) stay as they are;
 *  - every other tag is dropped and its text kept, except <script>,
 *    <style> and comments, which are dropped whole;
 *  - character references (&amp; &#39; &#x1F600; and the common named
 *    ones) are decoded; &nbsp; is a space; a reference that is not a
 *    character (NUL, surrogates, past U+10FFFF) is U+FFFD; an unknown
 *    name stays as written;
 *  - a control character other than newline and tab (C0, DEL, C1),
 *    written as it is or as a reference (&#27;), is U+FFFD: the text
 *    never carries a terminal escape sequence;
 *  - all other bytes, UTF-8 and right-to-left text included, pass
 *    through unchanged.
 */
char *th_html_text(const char *html, size_t len);
/* A plain-text field (a title, a description) of len bytes with the same
 * control characters as U+FFFD, malloc'd; NULL only when out of memory. */
char *th_html_plain(const char *s, size_t len);

#endif
