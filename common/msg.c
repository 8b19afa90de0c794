/*
 * msg: the bottom of libth. Messages in the form "th-verb: what failed:
 * why" (or JSON objects with --errors=json), always redacted; the exit
 * statuses; allocation that dies; and th_exit(), which runs the cleanups
 * the layers above registered, so that a th_die() anywhere still flushes
 * the output and frees what is held, without this file knowing any of it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "secret.h"

#define MAXCLEANUPS	16

struct th_opts th_opts;

static int jsonerrors;

/* One registered cleanup: fn, or sfn when it has a say in the status. */
static struct cleanup {
	void	(*fn)(void);
	int	(*sfn)(int);
} cleanups[MAXCLEANUPS];
static int ncleanups;

void
th_msg_json(int on)
{
	jsonerrors = on;
}

/* The JSON form of a message: {program, message, exit[, api]}, redacted
 * once more as a whole (the API's detail is text th did not write). */
static void
jsonmsg(int status, jv detail, const char *red)
{
	jv o = jv_object(), s;
	char *r;

	o = jv_object_set(o, jv_string("program"), jv_string(getprogname()));
	o = jv_object_set(o, jv_string("message"), jv_string(red));
	o = jv_object_set(o, jv_string("exit"), jv_number(status));
	if (jv_get_kind(detail) == JV_KIND_OBJECT)
		o = jv_object_set(o, jv_string("api"), jv_copy(detail));
	s = jv_dump_string(o, 0);
	if (jv_is_valid(s)) {
		r = th_redact(jv_string_value(s), strlen(jv_string_value(s)));
		if (r != NULL)
			fprintf(stderr, "%s\n", r);
		free(r);
	}
	jv_free(s);
}

static int
vmsg(int status, jv detail, const char *fmt, va_list ap)
{
	char *raw = NULL, *red;
	int n;

	if ((n = vasprintf(&raw, fmt, ap)) == -1)
		return status;
	red = th_redact(raw, (size_t)n);
	free(raw);
	if (red == NULL)
		return status;
	fflush(stdout);
	if (jsonerrors)
		jsonmsg(status, detail, red);
	else
		fprintf(stderr, "%s: %s\n", getprogname(), red);
	free(red);
	return status;
}

int
th_msg(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(status, jv_null(), fmt, ap);
	va_end(ap);
	return status;
}

int
th_msgj(int status, jv detail, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(status, detail, fmt, ap);
	va_end(ap);
	return status;
}

void
th_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(status, jv_null(), fmt, ap);
	va_end(ap);
	th_exit(status);
}

static void
addcleanup(void (*fn)(void), int (*sfn)(int))
{
	int i;

	for (i = 0; i < ncleanups; i++)
		if (cleanups[i].fn == fn && cleanups[i].sfn == sfn)
			return;
	/* a fixed table: registering happens a handful of times per
	 * process, from code, never from input */
	if (ncleanups == MAXCLEANUPS)
		th_die(TH_EIO, "too many cleanups registered");
	cleanups[ncleanups].fn = fn;
	cleanups[ncleanups].sfn = sfn;
	ncleanups++;
}

void
th_atexit(void (*fn)(void))
{
	addcleanup(fn, NULL);
}

void
th_atexit_status(int (*fn)(int status))
{
	addcleanup(NULL, fn);
}

void
th_exit(int status)
{
	struct cleanup c;

	/* taken off before it runs: a cleanup that dies comes back here
	 * and goes on with the ones after it, never itself again */
	while (ncleanups > 0) {
		c = cleanups[--ncleanups];
		if (c.sfn != NULL)
			status = c.sfn(status);
		else
			c.fn();
	}
	th_secret_wipe();
	exit(status);
}

int
th_status_merge(int a, int b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	if (a == TH_EFAIL)
		return b;
	return a;
}

char *
th_strdup(const char *s)
{
	char *r;

	if (s == NULL)
		return NULL;
	if ((r = strdup(s)) == NULL)
		th_die(TH_EIO, "out of memory");
	return r;
}

void
th_setstr(char **dst, const char *s)
{
	free(*dst);
	*dst = th_strdup(s);
}
