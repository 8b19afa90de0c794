/*
 * buf: the growable buffer. The room doubles, so that appending n bytes
 * one at a time costs O(n); a failed allocation is remembered rather
 * than reported, because the callers differ in what they make of it
 * (html.c returns NULL, th-show dies, http aborts the transfer).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "buf.h"

#define MINCAP	64

void
th_buf_init(struct th_buf *b)
{
	memset(b, 0, sizeof(*b));
}

/* Room for need more bytes and the NUL; -1 when out of memory. */
static int
grow(struct th_buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (need > SIZE_MAX / 2 - b->len - 1)
		goto oom;
	if (b->len + need + 1 <= b->cap)
		return 0;
	for (cap = b->cap ? b->cap : MINCAP; cap < b->len + need + 1; cap *= 2)
		;
	if ((p = realloc(b->s, cap)) == NULL)
		goto oom;
	b->s = p;
	b->cap = cap;
	return 0;
oom:
	b->oom = 1;
	return -1;
}

int
th_buf_add(struct th_buf *b, const void *s, size_t n)
{
	if (grow(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int
th_buf_adds(struct th_buf *b, const char *s)
{
	return th_buf_add(b, s, strlen(s));
}

int
th_buf_printf(struct th_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (grow(b, 0) == -1)
		return -1;
	/* twice at most: when it does not fit, room for it, and again */
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return 0;
		}
		/* what was cut off is no part of it */
		b->s[b->len] = '\0';
		if (n < 0 || grow(b, (size_t)n) == -1)
			break;
	}
	b->oom = 1;
	return -1;
}

void
th_buf_truncate(struct th_buf *b, size_t len)
{
	if (b->s == NULL || len > b->len)
		return;
	b->len = len;
	b->s[len] = '\0';
}

char *
th_buf_take(struct th_buf *b)
{
	char *s;

	if (b->s == NULL && !b->oom)
		th_buf_add(b, "", 0);
	if (b->oom) {
		th_buf_free(b);
		return NULL;
	}
	s = b->s;
	th_buf_init(b);
	return s;
}

int
th_buf_readfd(struct th_buf *b, int fd)
{
	char chunk[8192];
	ssize_t n;

	for (;;) {
		if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		if (th_buf_add(b, chunk, (size_t)n) == -1) {
			errno = ENOMEM;
			return -1;
		}
	}
}

void
th_buf_free(struct th_buf *b)
{
	free(b->s);
	th_buf_init(b);
}
