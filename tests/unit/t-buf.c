/* t-buf: the growable buffer: appends, printf, truncation, taking the
 * string, and an out-of-memory that is kept. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

int
main(void)
{
	struct th_buf b = TH_BUF_INIT;
	char *s, big[300];
	size_t i;

	s = th_buf_take(&b);
	is_str(s, "", "nothing added: the empty string, not NULL");
	free(s);

	ok(th_buf_adds(&b, "abc") == 0 && th_buf_add(&b, "d\0e", 3) == 0,
	    "bytes are added, a NUL among them");
	is_int(b.len, 6, "  len counts every byte");
	ok(memcmp(b.s, "abcd\0e", 7) == 0, "  and a NUL follows them");

	th_buf_truncate(&b, 2);
	is_str(b.s, "ab", "truncated to two bytes");
	th_buf_truncate(&b, 10);
	is_int(b.len, 2, "  a longer length changes nothing");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ok(th_buf_printf(&b, "-%d-%s-%.3s", 42, big, "yes!") == 0,
	    "printf past the room it had");
	is_int(b.len, 2 + 4 + 299 + 4, "  all of it is there");
	ok(strncmp(b.s, "ab-42-xxx", 9) == 0 && strcmp(b.s + b.len - 4, "-yes") == 0,
	    "  in order");

	for (i = 0; i < 10000; i++)
		th_buf_add(&b, "0123456789", 10);
	is_int(b.len, 309 + 100000, "100,000 bytes more, ten at a time");
	ok(b.cap >= b.len + 1 && b.cap < 2 * (b.len + 1) + 64, "  in a room that doubles");

	s = th_buf_take(&b);
	ok(s != NULL && strlen(s) == 100309, "take: the string, the caller's");
	ok(b.s == NULL && b.len == 0 && b.cap == 0, "  and the buffer is empty again");
	free(s);

	th_buf_adds(&b, "kept");
	ok(th_buf_add(&b, "x", SIZE_MAX - 8) == -1, "an append that cannot fit fails");
	ok(b.oom && strcmp(b.s, "kept") == 0, "  and leaves what came before");
	ok(th_buf_adds(&b, "more") == -1 && th_buf_printf(&b, "%d", 1) == -1,
	    "  every later append fails too");
	ok(th_buf_take(&b) == NULL, "  take says so: NULL");
	ok(b.s == NULL && !b.oom, "  and frees the bytes: the buffer is new again");

	th_buf_adds(&b, "again");
	th_buf_free(&b);
	ok(b.s == NULL && b.len == 0, "free empties it");
	return done_testing();
}
