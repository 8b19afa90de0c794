/* msg: messages, exit statuses, allocation that dies, and the exit. */
#ifndef TH_MSG_H
#define TH_MSG_H
#include <jv.h>

/* Exit statuses (sysexits.h), the same in every verb; see th(7). */
enum {
	TH_OK = 0,
	TH_EFAIL = 1,		/* refused by the API, or some items failed */
	TH_EUSAGE = 64,
	TH_EDATA = 65,		/* bad input data */
	TH_EUNAVAIL = 69,	/* service unavailable after retries */
	TH_EIO = 74,		/* cannot write output */
	TH_ETEMP = 75,		/* rate limited, quota: try later */
	TH_EAUTH = 77,		/* no token, expired, no permission */
	TH_ECONFIG = 78,
};

/* What the command line says that any layer may read; cli sets it. */
struct th_opts {
	int	 verbose;	/* -v, counted: requests, answers and the
				 * choices made, on stderr, redacted */
};
extern struct th_opts th_opts;

/* Print "prog: message" (or one JSON object with --errors=json) on stderr,
 * redacted; returns status so that callers can `return th_msg(...)`. */
int th_msg(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, with the API's error object detail (borrowed) added to the JSON. */
int th_msgj(int status, jv detail, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Messages as JSON objects (1: --errors=json) or as text (0). */
void th_msg_json(int on);
/* strdup that dies (74) when out of memory; NULL stays NULL. */
char *th_strdup(const char *s);
/* Replace the string *dst with a copy of s (NULL: none), freeing the old. */
void th_setstr(char **dst, const char *s);
/* Combine two statuses: the first failure that is not 1 wins over 1. */
int th_status_merge(int a, int b);

/*
 * The cleanups th_exit() runs, newest first. A module registers its own
 * when it first holds something to release (a handle, a token, a
 * cache), so that nothing below has to know what lives above it.
 * Registering a function that is already registered does nothing. A
 * cleanup may print; it runs once, even when it dies.
 */
void th_atexit(void (*fn)(void));
/* A cleanup with a say in the exit status: fn gets the status so far and
 * returns the one to exit with (the output's: a write error is 74). */
void th_atexit_status(int (*fn)(int status));
/* Run the cleanups, wipe every registered secret, exit with status. */
void th_exit(int status) __attribute__((noreturn));
/* th_msg() then th_exit(status). */
void th_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
#endif
