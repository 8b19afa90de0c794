/*
 * out: everything a verb prints on stdout goes through th_out_emit(), so
 * that --jq, line buffering, write errors, what a terminal may be sent
 * and records drawn for a person there are handled in one place.
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
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

/*
 * Pages. libjq 1.6 spends more on starting a run (jq_start) than .text |
 * length spends on a post, so records a caller hands over in a burst are
 * held and filtered as one run, (.[] | (F)), $end over the array of them:
 * F's results for each record in turn, then the end mark. Only a run that
 * reaches the end mark is written (one write); a run that does not (an
 * error stops it on the record that raised it) is run again a record at
 * a time, so that messages, the records that still print and the status
 * are those of a record at a time. (libjq 1.6 takes error(null) as
 * empty, over a page as over a record.)
 *
 * Records are held only for a caller that says where its pages end, by
 * calling th_out_flush() there and before it waits (th-timeline: after
 * each pass, before a follow run sleeps or the cursors are saved): the
 * other verbs print a record the moment it is made (a post just
 * published is news, and a kill must not lose it). At most PAGE records
 * are held: the API's largest page, and memory stays flat. Never on a
 * terminal (a person reads as it comes), never when stderr is stdout
 * (2>&1: a message must stay between the records it came between), and
 * never for a filter that has an effect of its own or reads the run (see
 * batchable()).
 */
#define PAGE	100
static const char *filtertext;	/* F, borrowed from the command line */
static jq_state *pjq;	/* the page program; NULL until the first page */
static jv endmark;	/* $__th_page_end: only the page program can emit it */
static int pagebroken;	/* the page program does not compile: never again */
static int marked;	/* the caller calls th_out_flush() at its page ends */
static int hold = -1;	/* may records be held? -1: not decided yet */
static jv held;		/* the records held (an array) when nheld > 0 */
static int nheld;

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

static int batchable(const char *);
static int pageprog(void);

/*
 * Is f's every bracket closed, by one of its kind, within f (strings,
 * their \(...) and comments read as jq reads them)? Then, in the page
 * program, f is one whole expression between the parentheses around
 * it, and it compiles on its own as it does there: compiling it alone
 * too, only to see that it does, cost as much CPU as the rest of a
 * 5,000-post read (libjq 1.6 parses its builtins on each compile).
 * "1), (2" is not balanced.
 */
static int
balanced(const char *f)
{
	char st[64];
	int n = 0, instr = 0;
	const char *p;

	for (p = f; *p != '\0'; p++) {
		if (instr) {
			if (*p == '"')
				instr = 0;
			else if (*p == '\\' && p[1] == '(') {
				if (n == (int)sizeof(st))
					return 0;
				st[n++] = 'I';	/* code until its ) */
				instr = 0;
				p++;
			} else if (*p == '\\' && p[1] != '\0')
				p++;
			continue;
		}
		switch (*p) {
		case '"':
			instr = 1;
			break;
		case '#':
			while (p[1] != '\0' && p[1] != '\n' && p[1] != '\r')
				p++;
			break;
		case '(': case '[': case '{':
			if (n == (int)sizeof(st))
				return 0;
			st[n++] = *p;
			break;
		case ')':
			if (n == 0 || (st[n - 1] != '(' && st[n - 1] != 'I'))
				return 0;
			instr = st[--n] == 'I';
			break;
		case ']':
			if (n == 0 || st[--n] != '[')
				return 0;
			break;
		case '}':
			if (n == 0 || st[--n] != '{')
				return 0;
			break;
		}
	}
	return n == 0 && !instr;
}

int
th_out_init(const char *filter)
{
	if (filter == NULL)
		return 0;
	if (plainpath(filter))
		return 0;
	/* the page program alone, when it runs a record at a time just as
	 * well (over [record]); F alone when it may not run over a page,
	 * or when the page program does not compile (F's own messages) */
	filtertext = filter;
	if (batchable(filter) && balanced(filter) &&
	    strstr(filter, "__th_page_end") == NULL && pageprog())
		return 0;
	if ((jq = jq_init()) == NULL)
		return th_msg(TH_EUSAGE, "--jq: cannot start libjq");
	jq_set_error_cb(jq, jqerr, NULL);
	/* libjq 1.6 leaves these unset: input and debug would read what
	 * malloc left there (valgrind says so); none is what they did */
	jq_set_input_cb(jq, NULL, NULL);
	jq_set_debug_cb(jq, NULL, NULL);
	if (!jq_compile(jq, filter)) {
		jq_teardown(&jq);
		jq = NULL;
		return TH_EUSAGE;
	}
	filtertext = filter;
	return 0;
}

/*
 * May F run over a page? Not when it names a builtin with an effect of
 * its own (stderr, debug: printed again when a failed page is run again
 * a record at a time), one that reads the run's input (input, inputs,
 * input_line_number: the page is one input, not one a record) or one
 * that stops the run (halt, halt_error: it would stop the page). A word
 * is matched anywhere, in a string or as a key too: a false alarm only
 * costs speed.
 */
static int
batchable(const char *f)
{
	static const char *const unsafe[] = { "input", "inputs",
	    "input_line_number", "debug", "stderr", "halt", "halt_error" };
	const char *p, *q;
	size_t i;

	for (p = f; *p != '\0'; p = q) {
		for (q = p; (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9') || *q == '_'; q++)
			;
		for (i = 0; q > p && i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
			if (strlen(unsafe[i]) == (size_t)(q - p) &&
			    memcmp(unsafe[i], p, (size_t)(q - p)) == 0)
				return 0;
		if (q == p)
			q++;
	}
	return 1;
}

static void
quiet(void *data, jv msg)
{
	(void)data;
	jv_free(msg);
}

/* The page program, compiled on the first page that needs it (a verb
 * that prints one record never pays for it). 1 when it is there. */
static int
pageprog(void)
{
	struct th_buf b = TH_BUF_INIT;
	int ok;

	if (pjq != NULL)
		return 1;
	if (pagebroken)
		return 0;
	pagebroken = 1;
	/* the newline ends a comment F may end with; F starts on line 1,
	 * so $__loc__ is where it is in F */
	th_buf_printf(&b, "(.[] | (%s\n)), $__th_page_end", filtertext);
	if (b.oom || (pjq = jq_init()) == NULL) {
		th_buf_free(&b);
		return 0;
	}
	jq_set_error_cb(pjq, quiet, NULL);
	jq_set_input_cb(pjq, NULL, NULL);
	jq_set_debug_cb(pjq, NULL, NULL);
	endmark = jv_object_set(jv_object(), jv_string("th"), jv_string("end"));
	/* a filter that only compiles on its own (import, include) is run
	 * a record at a time; one that names $__th_page_end does not
	 * compile on its own, so the end mark cannot be forged */
	ok = jq_compile_args(pjq, b.s, jv_object_set(jv_object(),
	    jv_string("__th_page_end"), jv_copy(endmark)));
	th_buf_free(&b);
	if (!ok) {
		jq_teardown(&pjq);
		pjq = NULL;
		jv_free(endmark);
		return 0;
	}
	pagebroken = 0;
	return 1;
}

static int
samefile(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int
isterm(void)
{
	if (tty == -1)
		tty = isatty(STDOUT_FILENO);
	return tty;
}

/* Are records held now? Decided once, on the first record that could be. */
static int
holding(void)
{
	const char *why;

	if ((jq == NULL && pjq == NULL) || !marked)
		return 0;
	if (hold == -1) {
		why = isterm() ? "standard output is a terminal" :
		    samefile(STDOUT_FILENO, STDERR_FILENO) ?
		    "standard error is standard output" :
		    !batchable(filtertext) ? "the filter reads its input, "
		    "prints or halts" : NULL;
		hold = why == NULL;
		if (th_opts.verbose && why != NULL)
			th_msg(0, "--jq: a record at a time: %s", why);
		else if (th_opts.verbose)
			th_msg(0, "--jq: up to %d records in one run", PAGE);
	}
	return hold;
}

/*
 * May lines wait in stdio's buffer until the page ends? For a caller that
 * marks its pages, as records may be held (see holding()): 20,000 posts
 * were 20,000 write(2) calls, now about 300. Not on a terminal, not
 * when stderr is stdout. Decided once.
 */
static int
buffered(void)
{
	static int yes = -1;

	if (!marked)
		return 0;
	if (yes == -1)
		yes = !isterm() && !samefile(STDOUT_FILENO, STDERR_FILENO);
	return yes;
}

/* A write to stdout failed: remember it, report it once. 74. */
static int
failed(void)
{
	if (errno == EPIPE) {
		werr = 2;	/* the reader is gone: an end, not news */
		return TH_EIO;
	}
	werr = 1;
	return th_msg(TH_EIO, "cannot write output: %s", strerror(errno));
}

/* len bytes of s, then a newline when nl is set; flushed, unless lines
 * wait for the page's end. */
static int
put(const char *s, size_t len, int nl)
{
	if (werr)
		return TH_EIO;
	if (fwrite(s, 1, len, stdout) != len || (nl && putchar('\n') == EOF) ||
	    (!buffered() && fflush(stdout) == EOF))
		return failed();
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

/*
 * An integer's text, as jq prints it, into buf (at least 24 bytes);
 * its length, or 0 when v is not such a number (jv_dump_string's then).
 * jv_dump_string goes through dtoa and a jv string: 1,500 instructions
 * for .text | length's every result, a tenth of the filter's run. Only
 * up to 10^15, where the double is an exact integer jq prints as digits;
 * -0 keeps its sign there.
 */
static size_t
inttext(jv v, char *buf)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u;
	double d;
	size_t n;

	if (jv_get_kind(v) != JV_KIND_NUMBER)
		return 0;
	d = jv_number_value(v);
	if (!(d > -1e15 && d < 1e15) || d != (double)(long long)d ||
	    (d == 0 && signbit(d)))
		return 0;
	u = d < 0 ? (unsigned long long)-(long long)d : (unsigned long long)d;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (d < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	return n;
}

/* v (consumed) as a line: a string raw, anything else as JSON. */
static int
writejv(jv v)
{
	char num[24];
	size_t n;
	jv s;
	int rc;

	if ((n = inttext(v, num)) > 0) {
		jv_free(v);
		return writeline(num, n, 0);
	}
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

/* F over v (consumed), a run of its own: results written as they come,
 * an error reported naming what F said. 0, or 74. */
static int
filter1(jv v)
{
	jv r;
	int wrc;

	if (jq == NULL) {
		/* the page program over [v]: F's results, then the end mark */
		jq_start(pjq, jv_array_append(jv_array(), v), 0);
		while (jv_is_valid(r = jq_next(pjq))) {
			if (jv_get_kind(r) == JV_KIND_OBJECT &&
			    jv_identical(jv_copy(r), jv_copy(endmark))) {
				jv_free(r);
				return 0;
			}
			if ((wrc = writejv(r)) != 0)
				return wrc;
		}
	} else {
		jq_start(jq, v, 0);
		while (jv_is_valid(r = jq_next(jq))) {
			if ((wrc = writejv(r)) != 0)
				return wrc;
		}
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
	return 0;
}

/* r (consumed) as writejv() writes it to a pipe, appended to b. */
static void
addjv(struct th_buf *b, jv r)
{
	char num[24];
	size_t n;
	jv s;

	if ((n = inttext(r, num)) > 0) {
		th_buf_add(b, num, n);
		jv_free(r);
	} else if (jv_get_kind(r) == JV_KIND_STRING) {
		th_buf_add(b, jv_string_value(r),
		    (size_t)jv_string_length_bytes(jv_copy(r)));
		jv_free(r);
	} else {
		s = jv_dump_string(r, 0);
		th_buf_add(b, jv_string_value(s),
		    (size_t)jv_string_length_bytes(jv_copy(s)));
		jv_free(s);
	}
	th_buf_add(b, "\n", 1);
}

/* The records held, through F: as one run when it gets to its end, else
 * a record at a time. 0, or 74. */
static int
runpage(void)
{
	struct th_buf b = TH_BUF_INIT;
	jv recs = held, r;
	int i, n = nheld, whole = 0, rc = 0;

	nheld = 0;
	if (werr) {
		jv_free(recs);
		return TH_EIO;
	}
	if (n > 1 && pageprog()) {
		jq_start(pjq, jv_copy(recs), 0);
		while (jv_is_valid(r = jq_next(pjq))) {
			if (jv_get_kind(r) == JV_KIND_OBJECT &&
			    jv_identical(jv_copy(r), jv_copy(endmark))) {
				whole = 1;
				break;
			}
			addjv(&b, r);
		}
		jv_free(r);
	}
	if (n > 1 && !whole && th_opts.verbose)
		th_msg(0, "--jq: %s: %d records run again one at a time",
		    pjq == NULL ? "the filter does not compile over a page" :
		    "the page's run ended early", n);
	if (whole && !b.oom) {
		if (b.len > 0)
			rc = put(b.s, b.len, 0);
	} else {
		for (i = 0; i < n && rc == 0; i++)
			rc = filter1(jv_array_get(jv_copy(recs), i));
	}
	th_buf_free(&b);
	jv_free(recs);
	return rc;
}

void
th_out_render(th_out_renderfn *fn)
{
	render = fn;
}

int
th_out_emit(jv v)
{
	int rc = 0;

	/* a filter's output is the user's own format: never drawn */
	if (render != NULL && jq == NULL && pjq == NULL && npath == 0 &&
	    jv_get_kind(v) == JV_KIND_OBJECT && isterm() &&
	    (rc = drawn(v)) != -1) {
		jv_free(v);
		return rc;
	}
	rc = 0;
	if (npath > 0)
		return emitpath(v);
	if (jq == NULL && pjq == NULL) {
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
	if (!holding())
		return filter1(v);
	if (werr) {
		jv_free(v);
		return TH_EIO;
	}
	if (nheld == 0)
		held = jv_array();
	held = jv_array_append(held, v);
	if (++nheld >= PAGE)
		return runpage();
	return 0;
}

int
th_out_flush(void)
{
	int rc;

	marked = 1;
	rc = nheld > 0 ? runpage() : 0;
	if (rc == 0 && !werr && fflush(stdout) == EOF)
		rc = failed();
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
	int rc;

	if (nheld > 0)
		(void)runpage();	/* a failed write is werr's */
	rc = werr == 1 ? TH_EIO : jqfailed ? TH_EFAIL : 0;
	if (jq != NULL) {
		jq_teardown(&jq);
		jq = NULL;
	}
	if (pjq != NULL) {
		jq_teardown(&pjq);
		pjq = NULL;
		jv_free(endmark);
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
