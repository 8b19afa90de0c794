/* t-text: UTF-8 validation, the 500-character rule, link counting. */
#include <stdlib.h>
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
	/* thread splitting */
	{
		struct th_span *sp;
		size_t bad2;
		char big[3000], part[600];
		int n, i, allfit = 1, nourl = 1;

		n = th_text_split("  short text \n", 14, 500, 0, &sp, &bad2);
		ok(n == 1 && sp[0].off == 2 && sp[0].len == 10,
		    "text that fits is one part, trimmed");
		free(sp);

		/* three paragraphs of 200: the first two share a part */
		memset(big, 'a', sizeof(big));
		for (i = 0; i < 3; i++) {
			memset(big + i * 202, 'w', 200);
			big[i * 202 + 99] = ' ';
			if (i < 2)
				memcpy(big + i * 202 + 200, "\n\n", 2);
		}
		n = th_text_split(big, 604, 500, 0, &sp, &bad2);
		ok(n == 2 && sp[0].len == 402 && sp[1].off == 404 && sp[1].len == 200,
		    "paragraphs are packed, split between paragraphs");
		free(sp);

		/* one long paragraph of sentences: split after a full stop */
		big[0] = '\0';
		for (i = 0; i < 30; i++)
			strcat(big, "This sentence has exactly forty chars. ");
		n = th_text_split(big, strlen(big), 500, 0, &sp, &bad2);
		ok(n == 3, "a long paragraph splits at sentences (%d parts)", n);
		for (i = 0; i < n; i++)
			allfit &= big[sp[i].off + sp[i].len - 1] == '.';
		ok(allfit, "every part ends with its sentence");
		free(sp);

		/* words only, with URLs: never inside one */
		big[0] = '\0';
		for (i = 0; i < 40; i++)
			strcat(big, "word https://example.com/a/long/path/x ");
		n = th_text_split(big, strlen(big), 500, 6, &sp, &bad2);
		ok(n > 1, "a paragraph with no sentence end splits at words (%d parts)", n);
		allfit = 1;
		for (i = 0; i < n; i++) {
			memcpy(part, big + sp[i].off, sp[i].len);
			part[sp[i].len] = '\0';
			allfit &= th_text_length(part, sp[i].len) + 6 <= 500;
			allfit &= th_text_links(part, sp[i].len, NULL) <= 5;
			nourl &= strncmp(part + sp[i].len - 1, "x", 1) == 0 ||
			    strncmp(part + sp[i].len - 4, "word", 4) == 0;
		}
		ok(allfit, "every part fits 500 with the reserve, and 5 links");
		ok(nourl, "no part ends inside a URL");
		free(sp);

		memset(big, 'x', 600);
		n = th_text_split(big, 600, 500, 0, &sp, &bad2);
		ok(n == -1 && bad2 == 0, "a single word over the limit cannot be split");

		/* a space followed by a combining mark is not a break */
		memset(big, 'y', 499);
		memcpy(big + 499, " \xcc\x81z", 4);
		n = th_text_split(big, 503, 500, 0, &sp, &bad2);
		ok(n == -1, "no split that would tear a combining mark from its cluster");
	}
	return done_testing();
}
