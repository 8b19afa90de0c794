/* buf: a growable byte buffer, the one every file appends to. */
#ifndef TH_BUF_H
#define TH_BUF_H
#include <stddef.h>

/*
 * Bytes appended at the end, NUL-terminated once anything is added (even
 * nothing: th_buf_add(b, "", 0)). A zeroed struct (TH_BUF_INIT) is an
 * empty buffer. Out of memory is kept: the append that fails and every
 * later one do nothing and return -1, oom stays set, and th_buf_take()
 * returns NULL, so that a caller may check once, at the end. Nothing here
 * prints or dies: a caller that would rather die says so itself
 * (th_die(TH_EIO, "out of memory")).
 */
struct th_buf {
	char	*s;	/* the bytes, then a NUL; NULL until the first
			 * add; the buffer's until th_buf_take() */
	size_t	 len;	/* bytes in s, the NUL not counted */
	size_t	 cap;	/* bytes allocated at s */
	int	 oom;	/* an append failed: s holds what came before */
};
#define TH_BUF_INIT	{ NULL, 0, 0, 0 }

void th_buf_init(struct th_buf *b);
/* Append n bytes of s (any bytes, NULs too). 0, or -1 when out of memory,
 * now or before. */
int th_buf_add(struct th_buf *b, const void *s, size_t n);
/* Append the string s. */
int th_buf_adds(struct th_buf *b, const char *s);
/* Append what printf would print (-1 too when printf fails). */
int th_buf_printf(struct th_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keep the first len bytes (len <= b->len) and the memory, to fill it
 * again; th_buf_truncate(b, 0) empties it. */
void th_buf_truncate(struct th_buf *b, size_t len);
/* The bytes as a string, malloc'd, the caller's to free: "" when nothing
 * was added, NULL when an append failed (the bytes are freed then). b is
 * empty again after, either way. */
char *th_buf_take(struct th_buf *b);
/* Append everything fd has until its end. 0, or -1 with errno (ENOMEM
 * when out of memory). */
int th_buf_readfd(struct th_buf *b, int fd);
/* Release the bytes; b is empty again. */
void th_buf_free(struct th_buf *b);
#endif
