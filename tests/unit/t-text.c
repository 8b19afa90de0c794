/* t-text: UTF-8 validation, the 500-character rule, link counting. */
#include <string.h>

#include "tap.h"
#include "text.h"

#define LEN(s) th_text_length((s), strlen(s))

int
main(void)
{
	size_t bad = 99;
	char buf[600];

	ok(th_text_utf8("héllo ✓", strlen("héllo ✓"), NULL), "accented text is UTF-8");
	ok(!th_text_utf8("ab\xc3(", 4, &bad) && bad == 2, "a broken sequence is found at its offset");
	ok(!th_text_utf8("\xc0\xaf", 2, NULL), "an overlong '/' is refused");
	ok(!th_text_utf8("\xed\xa0\x80", 3, NULL), "a UTF-16 surrogate is refused");
	ok(!th_text_utf8("\xf4\x90\x80\x80", 4, NULL), "code points past U+10FFFF are refused");
	ok(!th_text_utf8("\xff", 1, NULL), "a 0xff byte is refused");

	is_int(th_text_control("a\tb\nc", 5), -1, "tab and newline are allowed");
	is_int(th_text_control("ab\x1b[0m", 6), 2, "an escape character is found");
	is_int(th_text_control("a\0b", 3), 1, "a NUL is found");
	is_int(th_text_control("a\xc2\x85", 3), 1, "a C1 control is found");

	is_int(LEN("hello"), 5, "ASCII counts one per character");
	is_int(LEN("日本語のテキスト"), 8, "CJK counts one per character");
	is_int(LEN("e\xcc\x81"), 1, "e + combining acute is one grapheme");
	is_int(LEN("😀"), 4, "an emoji counts its 4 UTF-8 bytes");
	is_int(LEN("👍🏽"), 8, "an emoji with a skin tone counts 8 bytes");
	is_int(LEN("👨‍👩‍👧"), 18, "a ZWJ family counts all 18 bytes");
	is_int(LEN("🇯🇵"), 8, "a flag (regional pair) counts 8 bytes");
	is_int(LEN("❤️"), 6, "a heart with VS16 counts 6 bytes");
	is_int(LEN("a😀b"), 6, "mixed text: 1 + 4 + 1");

	memset(buf, 'x', 500);
	buf[500] = '\0';
	is_int(LEN(buf), 500, "500 ASCII characters are 500");

	is_int(th_text_links("no links here", 13, NULL), 0, "no links");
	is_int(th_text_links("see https://a.example/x and http://b.example", 44, NULL),
	    2, "two different links");
	{
		const char *t = "https://A.example/x, https://a.example/x. http://a.example/x";
		is_int(th_text_links(t, strlen(t), NULL), 1,
		    "the same link three ways (case of host, punctuation, scheme) counts once");
	}
	{
		const char *t = "go to www.example.com now";
		is_int(th_text_links(t, strlen(t), "http://www.example.com"), 1,
		    "a link attachment equal to a text link counts once");
		is_int(th_text_links(t, strlen(t), "https://other.example"), 2,
		    "a link attachment adds a distinct link");
	}
	{
		const char *t = "mail me at me@www.example.com";
		is_int(th_text_links(t, strlen(t), NULL), 0, "www. inside an address is no link");
	}
	return done_testing();
}
