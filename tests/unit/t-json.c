/* t-json: big integers never become doubles; the NDJSON reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "msg.h"
#include "tap.h"

/*
 * th_json_parse against libjq's own parser, for text with no integer
 * above 2^53 (the one place they differ on purpose): the same value,
 * printed the same (key order, -0, numbers, mended UTF-8), or the same
 * error message. Its fast path takes strict JSON and hands the rest to
 * jv_parse: these are the edges of that line.
 */
static void
same(const char *text, size_t len, const char *what)
{
	jv a = th_json_parse(text, len), b = jv_parse_sized(text, (int)len);
	char *sa, *sb;

	if (jv_is_valid(a) && jv_is_valid(b)) {
		sa = th_json_dump(jv_copy(a));
		sb = th_json_dump(jv_copy(b));
		is_str(sa, sb, "as jv_parse: %s", what);
		free(sa);
		free(sb);
	} else if (!jv_is_valid(a) && !jv_is_valid(b)) {
		jv ma = jv_invalid_get_msg(jv_copy(a)), mb = jv_invalid_get_msg(jv_copy(b));
		is_str(jv_get_kind(ma) == JV_KIND_STRING ? jv_string_value(ma) : "(none)",
		    jv_get_kind(mb) == JV_KIND_STRING ? jv_string_value(mb) : "(none)",
		    "as jv_parse, the same error: %s", what);
		jv_free(ma);
		jv_free(mb);
	} else
		ok(0, "as jv_parse: %s (valid %d, jv_parse %d)", what,
		    jv_is_valid(a), jv_is_valid(b));
	jv_free(a);
	jv_free(b);
}

static char *
dump(const char *text)
{
	jv v = th_json_parse(text, strlen(text));

	if (!jv_is_valid(v)) {
		jv_free(v);
		return strdup("INVALID");
	}
	return th_json_dump(v);
}

int
main(void)
{
	char *s;
	struct th_ndjson r;
	FILE *f;
	jv v;
	int rc;

	s = dump("{\"access_token\":\"T\",\"user_id\":17841405793187218}");
	is_str(s, "{\"access_token\":\"T\",\"user_id\":\"17841405793187218\"}",
	    "a user_id above 2^53 becomes a string with every digit");
	free(s);
	s = dump("[9007199254740992,9007199254740993,-9007199254740993,12.5,1e300]");
	is_str(s, "[9007199254740992,\"9007199254740993\",\"-9007199254740993\",12.5,1e+300]",
	    "2^53 stays a number, 2^53+1 and its negative become strings, floats stay");
	free(s);
	s = dump("{\"t\":\"id 17841405793187218 in \\\"text\\\"\"}");
	is_str(s, "{\"t\":\"id 17841405793187218 in \\\"text\\\"\"}",
	    "digits inside strings (with escaped quotes) are left alone");
	free(s);
	s = dump("{\"a\":");
	is_str(s, "INVALID", "truncated JSON is an error");
	free(s);

	{
		const char *t = "{\"id\":\"123\",\"n\":17841405793187218,\"small\":42}";
		v = th_json_parse(t, strlen(t));
	}
	s = th_jv_idstr(v, "id");
	is_str(s, "123", "a string id is taken as is");
	free(s);
	s = th_jv_idstr(v, "n");
	is_str(s, "17841405793187218", "a big numeric id arrives as its exact digits");
	free(s);
	s = th_jv_idstr(v, "small");
	is_str(s, "42", "a small integer id is printed as an integer");
	free(s);
	jv_free(v);

	{
		static const struct { const char *text, *what; } c[] = {
		{ "{\"b\":1,\"a\":[true,false,null],\"c\":{}}", "key order, literals, empty object" },
		{ " \t\r\n[ 1 , 2 ]\n", "whitespace everywhere" },
		{ "{\"a\":1,\"a\":2}", "a repeated key: the last wins" },
		{ "[-0,0,-0.0,0.1,1e400,-1e400,1E-5,2.5e+3,123456789012345]", "numbers: -0, fractions, overflow, exponents" },
		{ "[9007199254740992,-9007199254740992]", "2^53 and its negative stay numbers" },
		{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "every short escape" },
		{ "\"\\u0000\\u00e9\\u20ac\\u0041\"", "\\u escapes: NUL, two and three bytes" },
		{ "\"\\ud83d\\ude00\"", "a surrogate pair" },
		{ "\"\\ud83d\"", "a lone surrogate" },
		{ "\"caf\xc3\xa9 \xf0\x9f\x8d\x9c\"", "UTF-8 of two and four bytes" },
		{ "\"bad \xff\xfe bytes \xc3\"", "bad UTF-8, mended" },
		{ "\"tab\there\"", "a raw control byte in a string" },
		{ "[01]", "a leading zero" },
		{ "[1.]", "a number ending in a point" },
		{ "[.5]", "a number starting with a point" },
		{ "[1e]", "an exponent without digits" },
		{ "[-]", "a minus alone" },
		{ "[1,]", "a trailing comma" },
		{ "{\"a\" 1}", "a missing colon" },
		{ "[truex]", "a literal with letters after it" },
		{ "{\"a\":1} {\"b\":2}", "two values" },
		{ "[1] x", "trailing text" },
		{ "\xef\xbb\xbf[1]", "a byte order mark" },
		{ "", "nothing at all" },
		{ "\"unterminated", "an unterminated string" },
		{ "nan", "nan" },
		};
		char deep[1200];
		size_t i;

		for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
			same(c[i].text, strlen(c[i].text), c[i].what);
		same("{\"a\":\"x\\u0000y\"}", 17, "a NUL inside a string");
		memset(deep, '[', 250);
		memset(deep + 250, ']', 250);
		same(deep, 500, "nesting 250 deep (past the fast path's 200)");
		memset(deep, '[', 199);
		memset(deep + 199, ']', 199);
		same(deep, 398, "nesting 199 deep (inside it)");
	}

	f = tmpfile();
	fputs("{\"id\":\"1\"}\n\n{\"id\":\"2\"}\r\n{bad\n[1]\n{\"id\":\"3\"}", f);
	rewind(f);
	th_ndjson_open(&r, f, "input");
	rc = th_ndjson_next(&r, &v);
	s = th_jv_strdup(v, "id");
	ok(rc == 1 && s && strcmp(s, "1") == 0, "first record");
	free(s);
	jv_free(v);
	rc = th_ndjson_next(&r, &v);
	s = th_jv_strdup(v, "id");
	ok(rc == 1 && s && strcmp(s, "2") == 0, "blank line skipped, CRLF accepted");
	free(s);
	jv_free(v);
	rc = th_ndjson_next(&r, &v);
	ok(rc == TH_EDATA && r.lineno == 4, "a malformed line is 65 and names line 4");
	jv_free(v);
	rc = th_ndjson_next(&r, &v);
	ok(rc == TH_EDATA && r.lineno == 5, "an array is not a record (line 5)");
	jv_free(v);
	rc = th_ndjson_next(&r, &v);
	s = th_jv_strdup(v, "id");
	ok(rc == 1 && s && strcmp(s, "3") == 0, "reading goes on after errors; no final newline needed");
	free(s);
	jv_free(v);
	rc = th_ndjson_next(&r, &v);
	ok(rc == 0, "end of input");
	jv_free(v);
	th_ndjson_close(&r);
	fclose(f);
	/* times */
	is_int(th_time_parse("2024-07-01T12:00:00+0000") == 1719835200, 1,
	    "a Threads timestamp (+0000)");
	is_int(th_time_parse("2024-02-29T23:59:59-0130") == 1709256599, 1,
	    "the fast path: a leap day, a negative offset");
	is_int(th_time_parse("1999-12-31T23:59:60+0000") == 946684800, 1,
	    "the fast path agrees with timegm across a century");
	is_int(th_time_parse("2024-13-01T00:00:00+0000") == -1, 1, "month 13 is refused");
	is_int(th_time_parse("2024-07-01T14:00:00+02:00") == 1719835200, 1,
	    "an ISO 8601 offset with a colon");
	is_int(th_time_parse("2024-07-01T12:00:00Z") == 1719835200, 1, "Z");
	is_int(th_time_parse("2024-07-01") == 1719792000, 1, "a date is its midnight UTC");
	is_int(th_time_parse("1719835200") == 1719835200, 1, "epoch seconds");
	is_int(th_time_parse("yesterday") == -1, 1, "anything else is -1");
	is_int(th_time_arg("90m", 100000) == 100000 - 5400, 1, "90m ago");
	is_int(th_time_arg("3d", 1000000) == 1000000 - 3 * 86400, 1, "3d ago");
	is_int(th_time_arg("2x", 1000000) == -1, 1, "an unknown unit is -1");
	{
		char b[32];

		is_int((int)th_time_format(1719835200, b), 24, "a time as the API writes it");
		is_str(b, "2024-07-01T12:00:00+0000", "  the API's form");
		is_int(th_time_parse(b) == 1719835200, 1, "  and read back");
		th_time_format(-1, b);
		is_str(b, "1969-12-31T23:59:59+0000", "before the epoch");
		is_int((int)th_time_format(1LL << 60, b), 0, "a year past int: none");
		is_str(b, "", "  and an empty string");
	}
	return done_testing();
}
