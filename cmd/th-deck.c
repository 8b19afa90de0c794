/*
 * th-deck: timelines side by side in a terminal, live.
 *
 *	th-deck [--max N] [--interval secs] [NAME | source ...]
 *
 * One column per source (list grammar: me, mentions, @user, #tag,
 * list:NAME, @user@host ...), or per line of the deck file
 * $XDG_CONFIG_HOME/th/decks/NAME. Each column is read by its own
 * `th-timeline -f --json SOURCE`, a child whose stdout (NDJSON) and
 * stderr come back through pipes that one poll() loop reads beside the
 * keyboard: th_tl_run() sleeps and blocks in follow mode, a child does
 * not block us, and it keeps th-timeline's quota-aware intervals and
 * messages as they are. A column keeps at most --max posts, newest on
 * top; one whose reader fails says why while the others go on. Posts
 * are drawn by th-show's rules (th_show_record). Keys: see help[].
 * What is no terminal (the columns' posts, selection and pages, the
 * deck file, the verbs' argv) is libth's, common/deck.c; here are
 * curses, the keys, the poll loop and the children.
 */
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
#include "deck.h"
#include "json.h"
#include "list.h"
#include "show.h"
#include "text.h"

enum {
	OPT_MAX = TH_OPT_VERB, OPT_INTERVAL
};

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "max",	required_argument,	NULL, OPT_MAX },
	{ "interval",	required_argument,	NULL, OPT_INTERVAL },
	{ NULL, 0, NULL, 0 }
};

static const char *help[] = {
	"th-deck keys",
	"",
	"  h, left     the column to the left  l, right    the column to the right",
	"  j, down     the next (older) post   k, up       the previous (newer) post",
	"  space, PgDn a page down             b, PgUp     a page up",
	"  g           the newest post         G           the oldest post",
	"  Enter, c    the conversation        ESC, BS     back to the column",
	"  o           open in $BROWSER        R           reply ($EDITOR)",
	"  t           repost                  H           hide a reply (again: unhide)",
	"  d           delete yours (y/n)      r           read the column again",
	"  a           add a column            x           remove the column",
	"  w           write the deck file     ?           this help",
	"  q           quit",
	"",
	"any key closes this help",
	NULL
};

/* A column: a source, its reader (a th-timeline child) and its posts;
 * in place of them, while conv is set, a post's conversation. */
struct col {
	char		 src[TH_SRC_MAX];	/* canonical source */
	struct th_deck_view live;	/* the source's posts, newest first */
	struct th_deck_view cv;		/* the conversation shown, or empty */
	int		 conv;		/* cv is shown */
	pid_t		 pid;		/* the reader; 0 when reaped */
	int		 out, err;	/* its stdout and stderr; -1: closed */
	struct th_buf	 ob, eb;	/* what came short of a newline */
	char		 why[256];	/* its last message, or "" */
	char		 end[128];	/* how it ended, in words, or "" */
};

#define VIEW(c)	((c)->conv ? &(c)->cv : &(c)->live)

/* A verb run in the background for an action: its pipes and answer. */
struct job {
	pid_t		 pid;		/* 0: none */
	int		 out, err;	/* -1: closed */
	struct th_buf	 ob, eb;	/* all of its stdout, its stderr */
	int		 st;		/* its wait status, once ended */
};
#define JOB_INIT	{ 0, -1, -1, TH_BUF_INIT, TH_BUF_INIT, 0 }

enum { P_NONE, P_DELETE, P_ADD, P_SAVE };

static struct col *cols;
static int ncols, focus, first;	/* focus: the column keys act on;
				 * first: the leftmost column shown */
static long maxposts = 200, interval = 60;
static const char *account;	/* -a, passed on to the readers */
static char bindir[PATH_MAX];	/* where th-deck is, when the verbs are
				 * beside it (a build tree), else "" (PATH) */
static char deckname[65];	/* the deck file w writes, or "" */
static int changed;		/* columns added or removed since read */

/* The one action under way: its verb, the post it is about, the reply's
 * file; who: th-whois me, for whose posts are ours; cvj: the reading of
 * a conversation for column cvcol. */
static struct job act = JOB_INIT, who = JOB_INIT, cvj = JOB_INIT;
static int actkind, cvcol = -1;
static char actid[32], actfile[PATH_MAX];
static char me[64];		/* our username, once th-whois said it */
static int prompt;		/* P_*: the status line asks */
static char pbuf[TH_SRC_MAX];	/* what was typed at the prompt */
static int sigfd[2] = { -1, -1 };	/* the self-pipe of SIGWINCH */
static int showhelp, attrs = 1;	/* attrs: bold, dim, reverse (not with NO_COLOR) */
static struct th_show so;
static char note[256];		/* the status line's message, till a key */

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-deck [-a account] [--max n] [--interval secs] [name | source ...]\n",
	    "      --max N             keep at most N posts a column (default 200)\n"
	    "      --interval SECONDS  poll as th-timeline -f does (default 60)\n");
}

static void
addcol(const char *src)
{
	struct col *c;

	if ((cols = reallocarray(cols, (size_t)ncols + 1, sizeof(*cols))) == NULL)
		th_die(TH_EIO, "out of memory");
	c = &cols[ncols++];
	memset(c, 0, sizeof(*c));
	strlcpy(c->src, src, sizeof(c->src));
	c->out = c->err = -1;
	if (th_deck_view_init(&c->live, (int)maxposts, 0) == -1 ||
	    th_deck_view_init(&c->cv, (int)maxposts, 1) == -1)
		th_die(TH_EIO, "out of memory");
}

/* each source of the deck file, a column */
static void
addcol1(const char *src, void *arg)
{
	(void)arg;
	addcol(src);
}

static void
readdeck(const char *name)
{
	th_deck_read(th_cfg.config_dir, name, addcol1, NULL);
	strlcpy(deckname, name, sizeof(deckname));
}

/* ---- the readers ------------------------------------------------------- */

/*
 * Run th's verb name (from bindir when th-deck found it beside itself,
 * else from $PATH) with stdout and stderr on the pipes' write ends and
 * stdin from /dev/null. Returns its pid, or -1 when it cannot be forked.
 */
static pid_t
spawn(const char *name, char *const argv[], int out, int err)
{
	char path[PATH_MAX];
	pid_t pid;
	int fd;

	path[0] = '\0';
	if (bindir[0] != '\0' && ((size_t)snprintf(path, sizeof(path), "%s/%s",
	    bindir, name) >= sizeof(path) || access(path, X_OK) != 0))
		path[0] = '\0';
	if ((pid = fork()) != 0)
		return pid;
	signal(SIGPIPE, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	if ((fd = open("/dev/null", O_RDONLY)) != -1)
		dup2(fd, STDIN_FILENO);
	if (path[0] != '\0')
		execv(path, argv);
	else
		execvp(name, argv);
	dprintf(STDERR_FILENO, "th-deck: cannot run %s: %s\n", name, strerror(errno));
	_exit(127);
}

/*
 * Start name with argv, its stdout and stderr each a pipe whose read
 * end (non-blocking) is *out, *err; endchild() undoes it. Returns 0, or
 * -1 with errno set and nothing left open.
 */
static int
startchild(const char *name, char *const argv[], int *out, int *err, pid_t *pid)
{
	int o[2], e[2], saved;

	if (pipe2(o, O_CLOEXEC) == -1)
		return -1;
	if (pipe2(e, O_CLOEXEC) == -1) {
		saved = errno;
		close(o[0]);
		close(o[1]);
		errno = saved;
		return -1;
	}
	if ((*pid = spawn(name, argv, o[1], e[1])) == -1) {
		saved = errno;
		close(o[0]); close(o[1]); close(e[0]); close(e[1]);
		*pid = 0;
		errno = saved;
		return -1;
	}
	close(o[1]);
	close(e[1]);
	fcntl(o[0], F_SETFL, O_NONBLOCK);
	fcntl(e[0], F_SETFL, O_NONBLOCK);
	*out = o[0];
	*err = e[0];
	return 0;
}

static void
start(struct col *c)
{
	char nbuf[32], ibuf[32];
	const char *argv[TH_DECK_ARGV];

	th_deck_follow_argv(argv, nbuf, ibuf, maxposts, interval, account,
	    c->src);
	if (startchild("th-timeline", (char *const *)argv, &c->out, &c->err,
	    &c->pid) == -1) {
		snprintf(c->end, sizeof(c->end), "cannot start th-timeline: %s",
		    strerror(errno));
		return;
	}
	c->why[0] = c->end[0] = '\0';
}

/* A child's pipes closed and the child ended (a column's or a job's). */
static void
endchild(int *out, int *err, pid_t *pid)
{
	int st;

	if (*out != -1)
		close(*out);
	if (*err != -1)
		close(*err);
	*out = *err = -1;
	if (*pid > 0) {
		kill(*pid, SIGTERM);
		while (waitpid(*pid, &st, 0) == -1 && errno == EINTR)
			;
	}
	*pid = 0;
}

static void
stop(struct col *c)
{
	endchild(&c->out, &c->err, &c->pid);
	th_buf_truncate(&c->ob, 0);
	th_buf_truncate(&c->eb, 0);
}

/* Read what fd has into b; each whole line to fn. Returns 0 at the end
 * of the stream (fd closed), 1 otherwise. */
static int
drain(struct col *c, int *fd, struct th_buf *b, int isout)
{
	char chunk[65536], *nl, *s;
	ssize_t r;
	size_t off, len;

	if ((r = read(*fd, chunk, sizeof(chunk))) == -1)
		return errno == EAGAIN || errno == EINTR ? 1 : (close(*fd), *fd = -1, 0);
	if (r == 0) {
		close(*fd);
		*fd = -1;
		return 0;
	}
	if (th_buf_add(b, chunk, (size_t)r) == -1)
		th_die(TH_EIO, "out of memory");
	off = 0;
	if (isout)
		off = th_deck_feed(&c->live, b->s, b->len);
	else while ((nl = memchr(b->s + off, '\n', b->len - off)) != NULL) {
		s = b->s + off;
		len = (size_t)(nl - s);
		if (len > 0) {
			char *v = th_text_visible(s, len, 0);

			/* th-timeline's message, without its name */
			if (v != NULL) {
				strlcpy(c->why, strncmp(v, "th-timeline: ", 13) ?
				    v : v + 13, sizeof(c->why));
				free(v);
			}
		}
		off += len + 1;
	}
	if (off > 0) {
		memmove(b->s, b->s + off, b->len - off);
		th_buf_truncate(b, b->len - off);
	}
	/* a line longer than any record: not ours to hold */
	if (b->len > 8 << 20)
		th_buf_truncate(b, 0);
	return 1;
}

/* The reader of c has closed both pipes: collect its status. */
static void
reap(struct col *c)
{
	int st;
	pid_t r;

	if (c->pid <= 0 || c->out != -1 || c->err != -1)
		return;
	if ((r = waitpid(c->pid, &st, WNOHANG)) == 0)
		return;
	c->pid = 0;
	if (r == -1)
		snprintf(c->end, sizeof(c->end), "stopped");
	else if (WIFEXITED(st))
		snprintf(c->end, sizeof(c->end), "exit %d, %s",
		    WEXITSTATUS(st), th_deck_inwords(WEXITSTATUS(st)));
	else if (WIFSIGNALED(st))
		snprintf(c->end, sizeof(c->end), "stopped by signal %d",
		    WTERMSIG(st));
}

/* ---- the screen -------------------------------------------------------- */

/* Draw s at (y, x), at most w columns of it (wide characters counted
 * by wcwidth, one that would straddle the edge left out). */
static void
put(int y, int x, int w, const char *s, size_t len, attr_t a)
{
	mbstate_t ms;
	wchar_t wc;
	size_t k;
	int used = 0, cw;

	memset(&ms, 0, sizeof(ms));
	move(y, x);
	attron(a);
	while (len > 0 && used < w) {
		k = mbrtowc(&wc, s, len, &ms);
		if (k == (size_t)-1 || k == (size_t)-2) {
			/* th_show_record's text is valid UTF-8; be safe */
			wc = L'?';
			k = 1;
			memset(&ms, 0, sizeof(ms));
		} else if (k == 0)
			break;
		if ((cw = wcwidth(wc)) < 0)
			cw = 1, wc = L'?';
		if (used + cw > w)
			break;
		addnwstr(&wc, 1);
		used += cw;
		s += k;
		len -= k;
	}
	attroff(a);
}

/* How many columns fit: at least 20 cells each, a bar between. */
static int
fits(void)
{
	int k = (COLS + 1) / 21;

	if (k < 1)
		k = 1;
	return k < ncols ? k : ncols;
}

/* Width of the text in a column of w cells: a gutter of one. */
#define TEXTW(w)	((w) - 1)

/*
 * What column c shows above its posts, from line 1, w cells wide at x:
 * its reader's trouble in words (at most 4 lines), "reading..." while
 * it has no post yet. Drawn only when drawit is set; returns the lines
 * it takes, which the posts do not have.
 */
static int
head(struct col *c, int x, int w, int drawit)
{
	int y = 1, h = LINES - 2;
	const char *s;

	if (c->conv) {
		if (cvj.pid > 0 && cvcol == c - cols && drawit)
			put(y, x + 1, w - 1, "reading the conversation...", 27, 0);
		return cvj.pid > 0 && cvcol == c - cols;
	}
	if (c->end[0] != '\0' || c->why[0] != '\0') {
		/* the reader's trouble first, in words, then its posts */
		char msg[512];

		/* how it ended first: a long message is cut at 4 lines */
		snprintf(msg, sizeof(msg), "! %s%s%s", c->end, c->why[0] &&
		    c->end[0] ? ": " : "", c->why);
		for (s = msg; *s != '\0' && y < 1 + h && y <= 4; y++) {
			size_t len = strlen(s), take = 0;
			int used = 0;

			/* wrap by cells, a byte a cell being enough for
			 * messages th writes (ASCII) */
			while (take < len && used < w) {
				take++;
				used++;
			}
			/* at a space, when the line has one */
			if (take < len && s[take] != ' ') {
				size_t sp = take;

				while (sp > 0 && s[sp - 1] != ' ')
					sp--;
				if (sp > 0)
					take = sp;
			}
			if (drawit)
				put(y, x, w, s, take, attrs ? A_BOLD : 0);
			for (s += take; *s == ' '; s++)
				;
		}
	} else if (c->live.n == 0 && y < 1 + h) {
		if (drawit)
			put(y, x + 1, w - 1, "reading...", 10, 0);
		y++;
	}
	return y - 1;
}

static void
drawcol(struct col *c, int x, int w, int focused)
{
	struct th_buf b = TH_BUF_INIT;
	struct th_deck_view *v = VIEW(c);
	char title[TH_SRC_MAX + 32];
	int y, h = LINES - 2, i, k, top;
	const char *s, *nl;

	snprintf(title, sizeof(title), "%c%s%s (%d)", focused ? '>' : ' ', c->src,
	    c->conv ? ": conversation" : "", v->n);
	put(0, x, w, title, strlen(title), attrs ? focused ? A_REVERSE : A_BOLD : 0);
	y = 1 + head(c, x, w, 1);
	top = v->top;
	for (i = top; i < v->n && y < 1 + h; i++) {
		th_deck_render(v, i, &so, TEXTW(w), &b);
		for (k = 0, s = b.s; s != NULL && *s != '\0' && y < 1 + h; k++, y++) {
			attr_t a = 0;

			if ((nl = strchr(s, '\n')) == NULL)
				nl = s + strlen(s);
			if (attrs && k == 0)
				a = A_BOLD;
			else if (attrs && strncmp(s, "  https://", 10) == 0)
				a = A_DIM;
			if (i == v->sel && k == 0)
				mvaddch(y, x, focused ? '>' : '-');
			if (attrs && i == v->sel && focused)
				a |= A_REVERSE;
			if (nl > s)
				put(y, x + 1, w - 1, s, (size_t)(nl - s), a);
			s = *nl ? nl + 1 : nl;
		}
	}
	th_buf_free(&b);
}

static void
drawhelp(void)
{
	int i, n, w = 78, y0, x0;

	for (n = 0; help[n] != NULL; n++)
		;
	y0 = (LINES - n - 2) / 2;
	x0 = (COLS - w) / 2;
	if (y0 < 0)
		y0 = 0;
	if (x0 < 0)
		x0 = 0;
	for (i = -1; i <= n; i++) {
		move(y0 + 1 + i, x0);
		attron(attrs ? A_REVERSE : 0);
		printw("%-*.*s", w < COLS ? w : COLS, w < COLS ? w : COLS,
		    i >= 0 && i < n ? help[i] : "");
		attroff(attrs ? A_REVERSE : 0);
	}
}

static void
draw(void)
{
	int k = fits(), w, x, i;
	char status[512];

	erase();
	so.now = time(NULL);
	if (focus < first)
		first = focus;
	if (focus >= first + k)
		first = focus - k + 1;
	w = (COLS - (k - 1)) / k;
	for (i = 0; i < k; i++) {
		x = i * (w + 1);
		drawcol(&cols[first + i], x, w, first + i == focus);
		if (i + 1 < k)
			mvvline(0, x + w, '|', LINES - 1);
	}
	if (prompt == P_ADD || prompt == P_SAVE)
		snprintf(status, sizeof(status), "th-deck: %s %s_", prompt == P_ADD ?
		    "add a column (a source, ESC: none):" :
		    "write the deck as (a name, ESC: not):", pbuf);
	else if (note[0] != '\0')
		snprintf(status, sizeof(status), "th-deck: %s", note);
	else
		snprintf(status, sizeof(status), "th-deck: column %d of %d  ? help  q quit%s",
		    focus + 1, ncols, changed ? "  w write the deck" : "");
	put(LINES - 1, 0, COLS, status, strlen(status), attrs ? A_REVERSE : 0);
	if (showhelp)
		drawhelp();
	refresh();
}

/* ---- the actions: verbs run in the background -------------------------- */

static void
onwinch(int sig)
{
	int e = errno;

	(void)sig;
	(void)write(sigfd[1], "w", 1);
	errno = e;
}

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f)
			return 0;
	return 1;
}

/* Open the selected post's permalink with $BROWSER, else xdg-open, in
 * a grandchild of its own (no zombie, no wait, no terminal). */
static void
openpost(struct th_deck_view *c)
{
	const char *b = getenv("BROWSER");
	char *url;
	pid_t pid;
	int st, fd;

	if (c->n == 0) {
		snprintf(note, sizeof(note), "no post to open");
		return;
	}
	/* a URL of printable ASCII only goes to a browser's argv */
	if ((url = th_jv_strdup(c->p[c->sel].rec, "permalink")) == NULL ||
	    strncmp(url, "https://", 8) != 0 || !printable(url)) {
		snprintf(note, sizeof(note), "this post has no link to open");
		free(url);
		return;
	}
	if (b == NULL || b[0] == '\0')
		b = "xdg-open";
	if ((pid = fork()) == 0) {
		/* a shell that leaves the browser running in the background
		 * and ends: nothing to wait for, no zombie; the URL and the
		 * command are its arguments, never its script */
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		signal(SIGWINCH, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", "\"$0\" \"$1\" &", b, url, (char *)NULL);
		_exit(127);
	}
	if (pid == -1)
		snprintf(note, sizeof(note), "cannot open %s: %s", url, strerror(errno));
	else {
		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
		snprintf(note, sizeof(note), "opened %s with %s", url, b);
	}
	free(url);
}

/* Start verb with argv as job j. Returns 0, or -1 with errno set. */
static int
job_start(struct job *j, const char *verb, char *argv[])
{
	if (startchild(verb, argv, &j->out, &j->err, &j->pid) == -1)
		return -1;
	th_buf_truncate(&j->ob, 0);
	th_buf_truncate(&j->eb, 0);
	return 0;
}

/* Read what job j says (po, pe: its entries of the poll set). Returns 1
 * when it has ended (its status in j->st), else 0. */
static int
job_read(struct job *j, struct pollfd *po, struct pollfd *pe)
{
	char chunk[65536];
	struct th_buf *b;
	struct pollfd *p;
	ssize_t r;
	int k, *fd;

	for (k = 0; k < 2; k++) {
		p = k == 0 ? po : pe;
		fd = k == 0 ? &j->out : &j->err;
		b = k == 0 ? &j->ob : &j->eb;
		if (*fd == -1 || !(p->revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if ((r = read(*fd, chunk, sizeof(chunk))) > 0) {
			/* a conversation of --max posts fits; more is not ours */
			if (b->len < 64 << 20 && th_buf_add(b, chunk, (size_t)r) == -1)
				th_die(TH_EIO, "out of memory");
		} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
			close(*fd);
			*fd = -1;
		}
	}
	if (j->pid == 0 || j->out != -1 || j->err != -1 ||
	    waitpid(j->pid, &j->st, WNOHANG) == 0)
		return 0;
	j->pid = 0;
	return 1;
}

/* Stop job j, whatever it was doing. */
static void
job_stop(struct job *j)
{
	endchild(&j->out, &j->err, &j->pid);
}

/* Its exit status, 0 when it ended well; -1 for a signal. */
static int
job_exit(const struct job *j)
{
	return WIFEXITED(j->st) ? WEXITSTATUS(j->st) : -1;
}

/* "what failed (exit N, in words): the verb's last message" in note. */
static void
job_failed(struct job *j, const char *what)
{
	char *v, *nl;

	while (j->eb.len > 0 && j->eb.s[j->eb.len - 1] == '\n')
		th_buf_truncate(&j->eb, j->eb.len - 1);
	v = j->eb.len > 0 ? j->eb.s : "";
	if ((nl = strrchr(v, '\n')) != NULL)
		v = nl + 1;
	v = th_text_visible(v, strlen(v), 0);
	snprintf(note, sizeof(note), "%s failed (exit %d, %s): %s", what,
	    job_exit(j), th_deck_inwords(job_exit(j)), v != NULL ? v : "");
	free(v);
}

/* The first record of what job j printed, or an invalid jv. */
static jv
job_record(struct job *j)
{
	char *nl = j->ob.s != NULL ? memchr(j->ob.s, '\n', j->ob.len) : NULL;

	return th_json_parse(j->ob.s != NULL ? j->ob.s : "", nl != NULL ?
	    (size_t)(nl - j->ob.s) : j->ob.len);
}

/* Can an action start now? When not, why in note. */
static int
idle(const struct th_deck_view *v, const char *what)
{
	if (act.pid != 0) {
		snprintf(note, sizeof(note), "the last action is still under way");
		return 0;
	}
	if (v->n == 0) {
		snprintf(note, sizeof(note), "no post to %s", what);
		return 0;
	}
	return 1;
}

/* R: the reply written in $EDITOR, then th-post -k deck-ID-HASH -r ID
 * in the background; its answer comes to the status line (finish()). */
static void
reply(struct th_deck_view *c)
{
	struct th_buf text = TH_BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	char key[128];
	const char *argv[TH_DECK_ARGV];
	int fd, st;
	pid_t pid;

	if (!idle(c, "reply to"))
		return;
	snprintf(actfile, sizeof(actfile), "%s/th-deck.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if ((fd = mkstemp(actfile)) == -1) {
		snprintf(note, sizeof(note), "cannot make a file for the reply: %s",
		    strerror(errno));
		actfile[0] = '\0';
		return;
	}
	close(fd);
	def_prog_mode();
	endwin();
	if ((pid = fork()) == 0) {
		signal(SIGWINCH, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", "exec ${EDITOR:-vi} \"$1\"", "sh",
		    actfile, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	reset_prog_mode();
	clear();
	if ((fd = open(actfile, O_RDONLY)) == -1 || th_buf_readfd(&text, fd) == -1 ||
	    pid == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(note, sizeof(note), "no reply: the editor failed");
		goto out;
	}
	/* what th-post will send: without trailing newlines and blanks */
	while (text.len > 0 && strchr(" \t\r\n", text.s[text.len - 1]) != NULL)
		th_buf_truncate(&text, text.len - 1);
	if (text.len == 0) {
		snprintf(note, sizeof(note), "no reply: nothing was written");
		goto out;
	}
	th_deck_reply_key(key, sizeof(key), c->p[c->sel].id, text.s, text.len);
	th_deck_reply_argv(argv, key, account, c->p[c->sel].id, actfile);
	if (job_start(&act, "th-post", (char **)argv) == -1) {
		snprintf(note, sizeof(note), "cannot run th-post: %s", strerror(errno));
		goto out;
	}
	actkind = TH_DECK_REPLY;
	strlcpy(actid, c->p[c->sel].id, sizeof(actid));
	snprintf(note, sizeof(note), "sending the reply...");
	if (fd != -1)
		close(fd);
	th_buf_free(&text);
	return;
out:
	if (fd != -1)
		close(fd);
	th_buf_free(&text);
	unlink(actfile);
	actfile[0] = '\0';
}

/* Run the verb of action kind (TH_DECK_DELETE, _REPOST, _HIDE, _UNHIDE)
 * on post id: th-delete, th-repost, th-hide [-u], the verbs' own code
 * and messages, out of the keyboard's way. */
static void
verb(int kind, const char *id)
{
	const char *argv[TH_DECK_ARGV];

	th_deck_verb_argv(argv, kind, account, id);
	if (job_start(&act, argv[0], (char **)argv) == -1) {
		snprintf(note, sizeof(note), "cannot run %s: %s", argv[0],
		    strerror(errno));
		return;
	}
	actkind = kind;
	strlcpy(actid, id, sizeof(actid));
	snprintf(note, sizeof(note), "%s %s...", kind == TH_DECK_DELETE ?
	    "deleting" : kind == TH_DECK_REPOST ? "reposting" :
	    kind == TH_DECK_HIDE ? "hiding" : "unhiding", id);
}

/* Post id out of every column: it was deleted. */
static void
dropid(const char *id)
{
	int i;

	for (i = 0; i < ncols; i++) {
		th_deck_drop(&cols[i].live, id);
		th_deck_drop(&cols[i].cv, id);
	}
}

/* Mark post id hidden (or not) wherever it shows. */
static void
markid(const char *id, int hidden)
{
	int i;

	for (i = 0; i < ncols; i++) {
		th_deck_mark(&cols[i].live, id, hidden);
		th_deck_mark(&cols[i].cv, id, hidden);
	}
}

/* The action has ended: its answer in note. */
static void
finish(void)
{
	static const char *what[] = { NULL, "reply", "delete", "repost", "hide",
	    "unhide" };
	char *id;
	jv rec;

	if (actkind == TH_DECK_REPLY) {
		unlink(actfile);
		actfile[0] = '\0';
	}
	rec = job_record(&act);
	id = th_jv_idstr(rec, "id");
	if (job_exit(&act) != 0 || id == NULL)
		job_failed(&act, what[actkind]);
	else if (actkind == TH_DECK_REPLY) {
		jv dup = th_jv_get(rec, "duplicate");

		snprintf(note, sizeof(note), "%s %s", jv_get_kind(dup) == JV_KIND_TRUE ?
		    "already replied, not again:" : "replied:", id);
		jv_free(dup);
	} else if (actkind == TH_DECK_DELETE) {
		dropid(actid);
		snprintf(note, sizeof(note), "deleted %s", actid);
	} else if (actkind == TH_DECK_REPOST)
		snprintf(note, sizeof(note), "reposted %s: %s", actid, id);
	else {
		markid(actid, actkind == TH_DECK_HIDE);
		snprintf(note, sizeof(note), actkind == TH_DECK_HIDE ?
		    "hidden: %s (H again unhides it)" : "unhidden: %s", actid);
	}
	free(id);
	jv_free(rec);
	th_buf_truncate(&act.ob, 0);
	th_buf_truncate(&act.eb, 0);
	actkind = 0;
}

/* th-whois has said who we are (or not: then the API judges whose a
 * post is, when asked to delete it). */
static void
whoami(void)
{
	jv rec = job_record(&who);
	char *u = th_jv_strdup(rec, "username");

	if (job_exit(&who) == 0 && u != NULL)
		strlcpy(me, u, sizeof(me));
	free(u);
	jv_free(rec);
	th_buf_free(&who.ob);
	th_buf_free(&who.eb);
}

/* ---- conversations, columns, pages -------------------------------------- */

/* Enter, c: the selected post's conversation in place of column c: the
 * post, then `th-timeline --json -c ID` (every reply, at any depth),
 * oldest first. The column's posts and selection wait underneath. */
static void
openconv(struct col *c)
{
	char nbuf[32];
	const char *argv[TH_DECK_ARGV];
	struct th_deck_post *p;

	if (c->conv || c->live.n == 0) {
		snprintf(note, sizeof(note), c->conv ? "already in a conversation "
		    "(ESC: back)" : "no post to read the conversation of");
		return;
	}
	if (cvj.pid > 0) {
		/* one reading at a time: the newest wish wins */
		job_stop(&cvj);
		if (cvcol >= 0 && cvcol < ncols)
			cols[cvcol].conv = 0, th_deck_view_empty(&cols[cvcol].cv);
	}
	p = &c->live.p[c->live.sel];
	th_deck_view_empty(&c->cv);
	th_deck_add(&c->cv, jv_copy(p->rec));
	c->cv.p[0].hidden = p->hidden;
	c->conv = 1;
	th_deck_conv_argv(argv, nbuf, maxposts, account, p->id);
	if (job_start(&cvj, "th-timeline", (char **)argv) == -1) {
		snprintf(note, sizeof(note), "cannot run th-timeline: %s",
		    strerror(errno));
		return;
	}
	cvcol = (int)(c - cols);
}

/* The conversation's reading has ended: its replies into the view. */
static void
convread(void)
{
	struct col *c;

	if (cvcol < 0 || cvcol >= ncols || !cols[cvcol].conv) {
		th_buf_truncate(&cvj.ob, 0);
		return;
	}
	c = &cols[cvcol];
	if (cvj.ob.s != NULL)
		th_deck_feed(&c->cv, cvj.ob.s, cvj.ob.len);
	if (job_exit(&cvj) != 0)
		job_failed(&cvj, "the conversation");
	th_buf_truncate(&cvj.ob, 0);
	th_buf_truncate(&cvj.eb, 0);
	cvcol = -1;
}

/* ESC: back from the conversation to the column as it was. */
static void
closeconv(struct col *c)
{
	if (!c->conv)
		return;
	if (cvj.pid > 0 && cvcol == c - cols) {
		job_stop(&cvj);
		th_buf_truncate(&cvj.ob, 0);
		th_buf_truncate(&cvj.eb, 0);
		cvcol = -1;
	}
	c->conv = 0;
	th_deck_view_empty(&c->cv);
}

static void
freecol(struct col *c)
{
	stop(c);
	th_buf_free(&c->ob);
	th_buf_free(&c->eb);
	th_deck_view_free(&c->live);
	th_deck_view_free(&c->cv);
}

/* a: a column for source s, at the right, with the focus; a bad source
 * is said and makes none. */
static void
addsrc(const char *s)
{
	char out[TH_SRC_MAX], why[256];
	int i;

	if (th_source(s, 0, out, why, sizeof(why)) == TH_SRC_BAD) {
		snprintf(note, sizeof(note), "no column: %.240s", why);
		return;
	}
	for (i = 0; i < ncols; i++)
		if (strcmp(cols[i].src, out) == 0) {
			focus = i;
			snprintf(note, sizeof(note), "%s is column %d already", out,
			    i + 1);
			return;
		}
	addcol(out);
	start(&cols[ncols - 1]);
	focus = ncols - 1;
	changed = 1;
	snprintf(note, sizeof(note), "added %s", out);
}

/* x: the column with the focus goes, its reader stopped. */
static void
rmcol(void)
{
	char src[TH_SRC_MAX];

	if (ncols == 1) {
		snprintf(note, sizeof(note), "the last column stays (q quits)");
		return;
	}
	if (cvcol == focus)
		closeconv(&cols[focus]);
	else if (cvcol > focus)
		cvcol--;
	strlcpy(src, cols[focus].src, sizeof(src));
	freecol(&cols[focus]);
	memmove(&cols[focus], &cols[focus + 1], (size_t)(ncols - focus - 1) *
	    sizeof(*cols));
	ncols--;
	if (focus == ncols)
		focus--;
	changed = 1;
	snprintf(note, sizeof(note), "removed %s", src);
}

/* w: the columns, one a line, to the deck file, replaced atomically. */
static void
savedeck(const char *name)
{
	const char **srcs;
	char path[PATH_MAX];
	int i, rc;

	if ((srcs = reallocarray(NULL, (size_t)ncols, sizeof(*srcs))) == NULL)
		th_die(TH_EIO, "out of memory");
	for (i = 0; i < ncols; i++)
		srcs[i] = cols[i].src;
	rc = th_deck_write(th_cfg.config_dir, name, srcs, ncols, path,
	    sizeof(path));
	free(srcs);
	if (rc == 0) {
		strlcpy(deckname, name, sizeof(deckname));
		changed = 0;
		snprintf(note, sizeof(note), "wrote %d column%s to %.200s", ncols,
		    ncols == 1 ? "" : "s", path);
	} else if (path[0] == '\0' && errno == EINVAL)
		snprintf(note, sizeof(note), "not written: %s: a deck's name is "
		    "letters, digits, '.', '_' and '-'", name);
	else if (path[0] == '\0')
		snprintf(note, sizeof(note), "not written: %s: path too long", name);
	else
		snprintf(note, sizeof(note), "not written: %.160s: %s", path,
		    strerror(errno));
}

/* ---- the keys ---------------------------------------------------------- */

/* A key while the status line asks (prompt set). */
static void
askkey(int ch)
{
	size_t len = strlen(pbuf);
	int p = prompt;

	if (p == P_DELETE) {
		/* y deletes; n, ESC or any other key does not */
		prompt = P_NONE;
		if (ch == 'y' || ch == 'Y')
			verb(TH_DECK_DELETE, actid);
		else
			snprintf(note, sizeof(note), "not deleted");
		return;
	}
	switch (ch) {
	case 27:
		prompt = P_NONE;
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		prompt = P_NONE;
		if (len == 0)
			break;
		if (p == P_ADD)
			addsrc(pbuf);
		else
			savedeck(pbuf);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (len > 0)
			pbuf[len - 1] = '\0';
		break;
	default:
		/* a source or a name is printable ASCII */
		if (ch > ' ' && ch < 0x7f && len + 1 < sizeof(pbuf)) {
			pbuf[len] = (char)ch;
			pbuf[len + 1] = '\0';
		}
	}
}

/* d: ask before deleting the selected post, when it is ours. */
static void
askdelete(struct th_deck_view *v)
{
	char *u;

	if (!idle(v, "delete"))
		return;
	u = th_jv_strdup(v->p[v->sel].rec, "username");
	/* whose it is, when we know who we are: else the API says */
	if (me[0] != '\0' && (u == NULL || strcasecmp(u, me) != 0)) {
		snprintf(note, sizeof(note), "not your post (@%s's): nothing to delete",
		    u != NULL ? u : "someone else");
		free(u);
		return;
	}
	strlcpy(actid, v->p[v->sel].id, sizeof(actid));
	snprintf(note, sizeof(note), "delete @%s's post %s? y/n",
	    u != NULL ? u : me, actid);
	free(u);
	prompt = P_DELETE;
}

/* H: hide the selected reply; one we hid is unhidden. */
static void
hide(struct th_deck_view *v)
{
	jv r;

	if (!idle(v, "hide"))
		return;
	r = th_jv_get(v->p[v->sel].rec, "is_reply");
	if (jv_get_kind(r) != JV_KIND_TRUE) {
		snprintf(note, sizeof(note), "not a reply: only replies to your "
		    "posts can be hidden");
		jv_free(r);
		return;
	}
	jv_free(r);
	verb(v->p[v->sel].hidden ? TH_DECK_UNHIDE : TH_DECK_HIDE,
	    v->p[v->sel].id);
}

/* A key: 0 to go on, 1 to quit. */
static int
key(int ch)
{
	struct col *c = &cols[focus];
	struct th_deck_view *v = VIEW(c);
	int cw = (COLS - (fits() - 1)) / fits(), w = TEXTW(cw);
	int h = LINES - 2 - head(c, 0, cw, 0);

	if (prompt != P_NONE) {
		note[0] = '\0';
		askkey(ch);
		return 0;
	}
	note[0] = '\0';
	if (showhelp) {
		showhelp = 0;
		return 0;
	}
	switch (ch) {
	case 'q':
		return 1;
	case '?':
		showhelp = 1;
		break;
	case 'h':
	case KEY_LEFT:
		if (focus > 0)
			focus--;
		break;
	case 'l':
	case KEY_RIGHT:
		if (focus + 1 < ncols)
			focus++;
		break;
	case 'j':
	case KEY_DOWN:
		th_deck_select(v, v->sel + 1, &so, w, h);
		break;
	case 'k':
	case KEY_UP:
		th_deck_select(v, v->sel - 1, &so, w, h);
		break;
	case ' ':
	case KEY_NPAGE:
		th_deck_page(v, 1, &so, w, h);
		break;
	case 'b':
	case KEY_PPAGE:
		th_deck_page(v, 0, &so, w, h);
		break;
	case 'g':
	case KEY_HOME:
		v->sel = v->top = 0;
		break;
	case 'G':
	case KEY_END:
		th_deck_select(v, v->n - 1, &so, w, h);
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
	case 'c':
		openconv(c);
		break;
	case 27:
	case KEY_BACKSPACE:
	case 127:
	case 8:
		closeconv(c);
		break;
	case 'o':
		openpost(v);
		break;
	case 'R':
		reply(v);
		break;
	case 't':
		if (idle(v, "repost"))
			verb(TH_DECK_REPOST, v->p[v->sel].id);
		break;
	case 'H':
		hide(v);
		break;
	case 'd':
		askdelete(v);
		break;
	case 'a':
		pbuf[0] = '\0';
		prompt = P_ADD;
		break;
	case 'x':
		rmcol();
		break;
	case 'w':
		if (deckname[0] != '\0')
			savedeck(deckname);
		else {
			pbuf[0] = '\0';
			prompt = P_SAVE;
		}
		break;
	case 'r':
		stop(c);
		start(c);
		break;
	}
	return 0;
}

/* ---- the loop ---------------------------------------------------------- */

/* The directory of argv0 when th-timeline is there (a build tree, an
 * install): the verbs are run from there, else from $PATH. */
static void
findbin(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	char path[PATH_MAX];

	bindir[0] = '\0';
	if (slash != NULL && (size_t)snprintf(bindir, sizeof(bindir), "%.*s",
	    (int)(slash - argv0), argv0) < sizeof(bindir) &&
	    (size_t)snprintf(path, sizeof(path), "%s/th-timeline", bindir) <
	    sizeof(path) && access(path, X_OK) == 0)
		return;
	bindir[0] = '\0';
}

/* job j's two pipes at p[0], p[1] of the poll set */
static void
pollset(struct pollfd *p, const struct job *j)
{
	p[0].fd = j->out;
	p[1].fd = j->err;
	p[0].events = p[1].events = POLLIN;
	p[0].revents = p[1].revents = 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct pollfd *pfd = NULL;
	struct winsize ws;
	char out[TH_SRC_MAX], why[256], drop[64], *wargv[6];
	const char *e;
	int c, i, n, ch, quit = 0, bad = 0, npfd = 0, x, wa = 0;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_MAX:
			maxposts = th_cli_number(optarg, "--max", 1, 100000);
			break;
		case OPT_INTERVAL:
			interval = th_cli_number(optarg, "--interval", 1, 86400);
			break;
		case 'a':
			account = optarg;
			/* FALLTHROUGH */
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	th_cli_ready();
	findbin(argv[-optind]);

	/* a lone word that is no source names a deck */
	if (argc == 0)
		readdeck("default");
	else if (argc == 1 && th_source(argv[0], 0, out, why, sizeof(why)) == TH_SRC_BAD &&
	    th_list_valid_name(argv[0]) && argv[0][0] != '@' && argv[0][0] != '#')
		readdeck(argv[0]);
	else {
		for (i = 0; i < argc; i++)
			if (th_source(argv[i], 0, out, why, sizeof(why)) == TH_SRC_BAD)
				bad = th_msg(TH_EDATA, "%s", why);
			else
				addcol(out);
		if (bad)
			th_exit(TH_EDATA);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		th_die(TH_EUSAGE, "a deck needs a terminal (th-timeline reads "
		    "the same sources as NDJSON)");

	th_show_term(&so, STDOUT_FILENO, 0);
	so.colour = 0;		/* curses draws the attributes */
	so.relative = 1;
	if ((e = getenv("NO_COLOR")) != NULL && e[0] != '\0')
		attrs = 0;
	if (pipe2(sigfd, O_CLOEXEC | O_NONBLOCK) == -1)
		th_die(TH_EIO, "pipe: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onwinch;
	sigaction(SIGWINCH, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < ncols; i++)
		start(&cols[i]);
	/* who we are, for d to know our posts: asked once, in the background */
	wargv[wa++] = "th-whois";
	wargv[wa++] = "--json";
	if (account != NULL) {
		wargv[wa++] = "-a";
		wargv[wa++] = (char *)account;
	}
	wargv[wa++] = "me";
	wargv[wa] = NULL;
	job_start(&who, "th-whois", wargv);

	if (getenv("ESCDELAY") == NULL)
		setenv("ESCDELAY", "25", 0);
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	draw();

	while (!quit) {
		int dirty = 0, waiting = 0;

		/* stdin, the signal pipe, two a column, two a job: the columns
		 * come and go */
		if (npfd < ncols * 2 + 8) {
			npfd = ncols * 2 + 8;
			if ((pfd = reallocarray(pfd, (size_t)npfd, sizeof(*pfd))) == NULL)
				th_die(TH_EIO, "out of memory");
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = sigfd[0];
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		for (i = 0; i < ncols; i++) {
			pfd[2 + 2 * i].fd = cols[i].out;
			pfd[2 + 2 * i].events = POLLIN;
			pfd[3 + 2 * i].fd = cols[i].err;
			pfd[3 + 2 * i].events = POLLIN;
			pfd[2 + 2 * i].revents = pfd[3 + 2 * i].revents = 0;
			waiting |= cols[i].pid > 0 && cols[i].out == -1 &&
			    cols[i].err == -1;
		}
		x = 2 + 2 * ncols;
		pollset(&pfd[x], &act);
		pollset(&pfd[x + 2], &who);
		pollset(&pfd[x + 4], &cvj);
		waiting |= (act.pid > 0 && act.out == -1 && act.err == -1) ||
		    (who.pid > 0 && who.out == -1 && who.err == -1) ||
		    (cvj.pid > 0 && cvj.out == -1 && cvj.err == -1);
		/* a second for the relative times; sooner to reap a child */
		if ((n = poll(pfd, (nfds_t)x + 6, waiting ? 50 : 1000)) == -1 &&
		    errno != EINTR)
			break;
		if (n == 0)
			dirty = 1;
		if (n > 0 && (pfd[1].revents & POLLIN)) {
			while (read(sigfd[0], drop, sizeof(drop)) > 0)
				;
			if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
			    ws.ws_row > 0 && ws.ws_col > 0)
				resizeterm(ws.ws_row, ws.ws_col);
			clear();
			dirty = 1;
		}
		for (i = 0; n > 0 && i < ncols; i++) {
			if (pfd[2 + 2 * i].revents & (POLLIN | POLLHUP | POLLERR)) {
				drain(&cols[i], &cols[i].out, &cols[i].ob, 1);
				dirty = 1;
			}
			if (pfd[3 + 2 * i].revents & (POLLIN | POLLHUP | POLLERR)) {
				drain(&cols[i], &cols[i].err, &cols[i].eb, 0);
				dirty = 1;
			}
		}
		for (i = 0; i < ncols; i++)
			if (cols[i].pid > 0 && cols[i].out == -1 && cols[i].err == -1) {
				reap(&cols[i]);
				dirty = 1;
			}
		if (act.pid > 0 && job_read(&act, &pfd[x], &pfd[x + 1]))
			finish(), dirty = 1;
		if (who.pid > 0 && job_read(&who, &pfd[x + 2], &pfd[x + 3]))
			whoami();
		if (cvj.pid > 0 && job_read(&cvj, &pfd[x + 4], &pfd[x + 5]))
			convread(), dirty = 1;
		while (!quit && (ch = getch()) != ERR) {
			/* KEY_RESIZE: resizeterm()'s own echo of a resize
			 * already handled; a redraw is all it needs */
			if (ch != KEY_RESIZE)
				quit = key(ch);
			dirty = 1;
		}
		if (dirty && !quit)
			draw();
	}
	endwin();
	if (act.pid > 0) {
		/* an action half done is let finish: its answer goes to stderr */
		th_msg(0, "waiting for the last action to end");
		while (act.pid > 0) {
			struct pollfd ap[2] = { { act.out, POLLIN, 0 }, { act.err, POLLIN, 0 } };

			if (poll(ap, 2, 50) == -1 && errno != EINTR)
				break;
			if (job_read(&act, &ap[0], &ap[1]))
				finish();
		}
		th_msg(0, "%s", note);
	}
	free(pfd);
	job_stop(&who);
	job_stop(&cvj);
	th_buf_free(&act.ob);
	th_buf_free(&act.eb);
	th_buf_free(&who.ob);
	th_buf_free(&who.eb);
	th_buf_free(&cvj.ob);
	th_buf_free(&cvj.eb);
	for (i = 0; i < ncols; i++)
		freecol(&cols[i]);
	free(cols);
	th_exit(0);
}
