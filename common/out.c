/*
 * out: everything a verb prints on stdout goes through th_out_emit(), so
 * that --jq, line buffering, write errors, what a terminal may be sent
 * and records drawn for a person there are handled in one place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jq.h>

#include "buf.h"
#include "msg.h"
#include "out.h"
#include "text.h"

static jq_state *jq;
static char *path[16];	/* a filter that is a plain path (.a.b): done without libjq */
static int npath;
static int werr;	/* a write failed: report once, stop writing; 2: EPIPE */
static int jqfailed;	/* the filter failed on a record: the run's status is 1 */
static int tty = -1;	/* is stdout a terminal? -1: not asked yet */
static th_out_renderfn *render;	/* draws an object for a terminal, or NULL */
static int finished;

static void
jqerr(void *data, jv msg)
{
	(void)data;
	if (jv_get_kind(msg) == JV_KIND_STRING)
		th_msg(TH_EUSAGE, "--jq: %s", jv_string_value(msg));
	else
		th_msg(TH_EUSAGE, "--jq: invalid filter");
	jv_free(msg);
}

/*
 * Is filter a plain path, ".key" or ".a.b.c" (identifiers only)? Those
 * are most --jq filters (.id, .text, .permalink), and libjq 1.6 spends
 * more on compiling its builtins and starting each run than on the work.
 */
static int
plainpath(const char *f)
{
	const char *p = f, *q;
	size_t n;

	while (*p == ' ')
		p++;
	while (*p == '.' && npath < 16) {
		p++;
		for (q = p; (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    *q == '_' || (q > p && *q >= '0' && *q <= '9'); q++)
			;
		if ((n = (size_t)(q - p)) == 0 || (path[npath] = strndup(p, n)) == NULL)
			goto no;
		npath++;
		p = q;
	}
	while (*p == ' ')
		p++;
	if (*p == '\0' && npath > 0)
		return 1;
no:
	while (npath > 0)
		free(path[--npath]);
	return 0;
}

int
th_out_init(const char *filter)
{
	if (filter == NULL)
		return 0;
	if (plainpath(filter))
		return 0;
	if ((jq = jq_init()) == NULL)
		return th_msg(TH_EUSAGE, "--jq: cannot start libjq");
	jq_set_error_cb(jq, jqerr, NULL);
	if (!jq_compile(jq, filter)) {
		jq_teardown(&jq);
		jq = NULL;
		return TH_EUSAGE;
	}
	return 0;
}

static int
isterm(void)
{
	if (tty == -1)
		tty = isatty(STDOUT_FILENO);
	return tty;
}

/* len bytes of s, then a newline when nl is set, flushed. */
static int
put(const char *s, size_t len, int nl)
{
	if (werr)
		return TH_EIO;
	if (fwrite(s, 1, len, stdout) != len || (nl && putchar('\n') == EOF) ||
	    fflush(stdout) == EOF) {
		if (errno == EPIPE) {
			werr = 2;	/* the reader is gone: an end, not news */
			return TH_EIO;
		}
		werr = 1;
		return th_msg(TH_EIO, "cannot write output: %s", strerror(errno));
	}
	return 0;
}

/*
 * One line out. A terminal is sent nothing that drives it: post text is
 * untrusted, and a fediverse post can spell ESC as &#27;. A raw string
 * (--jq) is shown as th-show shows text (^[, <U+202E>); JSON text, whose
 * C0 controls libjq has escaped already, gets \u escapes for the C1
 * controls and bidi overrides it leaves as they are: the same JSON. A
 * pipe or a file gets the bytes as they are.
 */
static int
writeline(const char *s, size_t len, int raw)
{
	char *vis = NULL;
	int rc;

	if (werr)
		return TH_EIO;
	if (isterm()) {
		if ((vis = th_text_visible(s, len, raw ? TH_TEXT_NL | TH_TEXT_TAB :
		    TH_TEXT_JSON)) == NULL) {
			werr = 1;
			return th_msg(TH_EIO, "cannot write output: out of memory");
		}
		s = vis;
		len = strlen(vis);
	}
	rc = put(s, len, 1);
	free(vis);
	return rc;
}

/* v (borrowed) drawn by the renderer; -1 when it does not draw it. */
static int
drawn(jv v)
{
	struct th_buf b = TH_BUF_INIT;
	int rc;

	if (werr)
		return TH_EIO;
	if (render(&b, v) != 0) {
		th_buf_free(&b);
		return -1;
	}
	if (b.oom) {
		th_buf_free(&b);
		werr = 1;
		return th_msg(TH_EIO, "cannot write output: out of memory");
	}
	rc = put(b.s != NULL ? b.s : "", b.len, 0);
	th_buf_free(&b);
	return rc;
}

/* v (consumed) as a line: a string raw, anything else as JSON. */
static int
writejv(jv v)
{
	jv s;
	int rc;

	if (jv_get_kind(v) == JV_KIND_STRING) {
		rc = writeline(jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)), 1);
		jv_free(v);
		return rc;
	}
	s = jv_dump_string(v, 0);
	rc = writeline(jv_string_value(s), (size_t)jv_string_length_bytes(jv_copy(s)), 0);
	jv_free(s);
	return rc;
}

/* A plain path, as jq would: objects are indexed, null stays null,
 * anything else is an error. */
static int
emitpath(jv v)
{
	const char *what;
	int i;

	for (i = 0; i < npath; i++) {
		if (jv_get_kind(v) == JV_KIND_OBJECT)
			v = jv_object_get(v, jv_string(path[i]));
		else if (jv_get_kind(v) == JV_KIND_NULL)
			;
		else {
			what = jv_kind_name(jv_get_kind(v));
			jv_free(v);
			jqfailed = 1;
			th_msg(TH_EFAIL, "--jq: Cannot index %s with \"%s\"",
			    what, path[i]);
			return 0;
		}
		if (!jv_is_valid(v)) {	/* a missing key is null */
			jv_free(v);
			v = jv_null();
		}
	}
	return writejv(v);
}

void
th_out_render(th_out_renderfn *fn)
{
	render = fn;
}

int
th_out_emit(jv v)
{
	jv r;
	int rc = 0, wrc;

	/* a filter's output is the user's own format: never drawn */
	if (render != NULL && jq == NULL && npath == 0 &&
	    jv_get_kind(v) == JV_KIND_OBJECT && isterm() &&
	    (rc = drawn(v)) != -1) {
		jv_free(v);
		return rc;
	}
	rc = 0;
	if (npath > 0)
		return emitpath(v);
	if (jq == NULL) {
		if (jv_get_kind(v) == JV_KIND_STRING) {
			/* unfiltered output is JSON, strings included */
			jv s = jv_dump_string(v, 0);
			rc = writeline(jv_string_value(s),
			    (size_t)jv_string_length_bytes(jv_copy(s)), 0);
			jv_free(s);
			return rc;
		}
		return writejv(v);
	}
	jq_start(jq, v, 0);
	while (jv_is_valid(r = jq_next(jq))) {
		if ((wrc = writejv(r)) != 0)
			return wrc;
	}
	if (jv_invalid_has_msg(jv_copy(r))) {
		jv m = jv_invalid_get_msg(r);
		if (jv_get_kind(m) == JV_KIND_STRING)
			th_msg(TH_EFAIL, "--jq: %s", jv_string_value(m));
		else {
			char *d = NULL;
			jv ds = jv_dump_string(jv_copy(m), 0);
			d = strdup(jv_string_value(ds));
			jv_free(ds);
			th_msg(TH_EFAIL, "--jq: error: %s", d ? d : "?");
			free(d);
		}
		jv_free(m);
		jqfailed = 1;	/* reported; the other records still print */
		return 0;
	}
	jv_free(r);
	return rc;
}

int
th_out_closed(void)
{
	return werr == 2;
}

int
th_out_finish(void)
{
	int rc = werr == 1 ? TH_EIO : jqfailed ? TH_EFAIL : 0;

	if (jq != NULL) {
		jq_teardown(&jq);
		jq = NULL;
	}
	while (npath > 0)
		free(path[--npath]);
	if (finished)
		return rc;
	finished = 1;
	if ((fflush(stdout) == EOF || fclose(stdout) == EOF) && werr != 2 &&
	    errno != EPIPE) {
		if (!werr)
			rc = th_msg(TH_EIO, "cannot write output: %s", strerror(errno));
		else
			rc = TH_EIO;
	}
	return rc;
}

int
th_out_exit(int status)
{
	int orc = th_out_finish();

	return orc == TH_EIO ? orc : th_status_merge(status, orc);
}
