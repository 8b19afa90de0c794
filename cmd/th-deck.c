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
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
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
	"  h, left     the column to the left",
	"  l, right    the column to the right",
	"  j, down     the next (older) post",
	"  k, up       the previous (newer) post",
	"  g           the newest post",
	"  o           open the post in $BROWSER",
	"  R           reply to the post ($EDITOR)",
	"  r           read the column again now",
	"  ?           this help",
	"  q           quit",
	"",
	"any key closes this help",
	NULL
};

/* A post kept in a column. */
struct post {
	jv		 rec;		/* the record, owned */
	char		*id;		/* its id, malloc'd */
	long long	 t;		/* its time, epoch s (-1: none) */
};

/* A column: a source, its reader (a th-timeline child) and its posts. */
struct col {
	char		 src[TH_SRC_MAX];	/* canonical source */
	struct post	*p;		/* newest first; max of them */
	int		 n;
	int		 sel, top;	/* selected post, first one shown */
	pid_t		 pid;		/* the reader; 0 when reaped */
	int		 out, err;	/* its stdout and stderr; -1: closed */
	struct th_buf	 ob, eb;	/* what came short of a newline */
	char		 why[256];	/* its last message, or "" */
	char		 end[128];	/* how it ended, in words, or "" */
};

static struct col *cols;
static int ncols, focus, first;	/* focus: the column keys act on;
				 * first: the leftmost column shown */
static long maxposts = 200, interval = 60;
static const char *account;	/* -a, passed on to the readers */
static char timeline[PATH_MAX];	/* th-timeline beside us, or "" (PATH) */
static char poster[PATH_MAX];	/* th-post, the same way */

/* The one action under way (a reply's th-post): its pipes, its file. */
static struct {
	pid_t		 pid;		/* 0: none */
	int		 out, err;	/* -1: closed */
	struct th_buf	 ob, eb;	/* all of its stdout, its stderr */
	char		 file[PATH_MAX];	/* the reply's text, removed after */
} act = { 0, -1, -1, TH_BUF_INIT, TH_BUF_INIT, "" };
static int sigfd[2] = { -1, -1 };	/* the self-pipe of SIGWINCH */
static int showhelp, attrs = 1;	/* attrs: bold and dim (not with NO_COLOR) */
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
	if ((c->p = calloc((size_t)maxposts, sizeof(*c->p))) == NULL)
		th_die(TH_EIO, "out of memory");
}

/* The columns of deck file NAME: one source a line, as in a list; blank
 * lines and "# " comments skipped. Every bad line named, then 65. */
static void
readdeck(const char *name)
{
	char path[PATH_MAX], out[TH_SRC_MAX], why[256], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int lineno = 0, bad = 0;

	if (!th_list_valid_name(name))
		th_die(TH_EUSAGE, "%s: not a source, nor a deck name", name);
	if ((size_t)snprintf(path, sizeof(path), "%s/decks/%s", th_cfg.config_dir,
	    name) >= sizeof(path))
		th_die(TH_ECONFIG, "%s: path too long", name);
	if ((f = fopen(path, "r")) == NULL)
		th_die(errno == ENOENT ? TH_EUSAGE : TH_ECONFIG, "deck %s: %s: %s",
		    name, path, strerror(errno));
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
		    line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		if (len == 0 || strcmp(line, "#") == 0 || strncmp(line, "# ", 2) == 0)
			continue;
		if (th_source(line, 0, out, why, sizeof(why)) == TH_SRC_BAD) {
			bad = th_msg(TH_EDATA, "%s:%d: %s", path, lineno, why);
			continue;
		}
		addcol(out);
	}
	free(line);
	fclose(f);
	if (bad)
		th_exit(TH_EDATA);
	if (ncols == 0)
		th_die(TH_EDATA, "%s: no columns in the deck", path);
}

/* ---- the readers ------------------------------------------------------- */

static const char *
inwords(int status)
{
	switch (status) {
	case 0: return "it ended";
	case TH_EFAIL: return "the API refused it";
	case TH_EUSAGE: return "usage error";
	case TH_EDATA: return "bad input data";
	case TH_EUNAVAIL: return "the service is unavailable";
	case TH_EIO: return "output error";
	case TH_ETEMP: return "rate limited or out of quota: try later";
	case TH_EAUTH: return "not authorised";
	case TH_ECONFIG: return "configuration error";
	case 127: return "th-timeline could not be run";
	default: return "it failed";
	}
}

/*
 * Run th's verb name (at path when th-deck found it beside itself, else
 * from $PATH) with stdout and stderr on the pipes' write ends and stdin
 * from /dev/null. Returns its pid, or -1 when it cannot be forked.
 */
static pid_t
spawn(const char *path, const char *name, char *const argv[], int out, int err)
{
	pid_t pid;
	int fd;

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

static void
start(struct col *c)
{
	char nbuf[32], ibuf[32];
	const char *argv[16];
	int o[2], e[2], i = 0;
	pid_t pid;

	if (pipe2(o, O_CLOEXEC) == -1)
		goto fail;
	if (pipe2(e, O_CLOEXEC) == -1) {
		close(o[0]);
		close(o[1]);
		goto fail;
	}
	/* the first screenful, then what appears */
	snprintf(nbuf, sizeof(nbuf), "%ld", maxposts < 30 ? maxposts : 30);
	snprintf(ibuf, sizeof(ibuf), "%ld", interval);
	argv[i++] = "th-timeline";
	argv[i++] = "-f";
	argv[i++] = "--json";
	argv[i++] = "-n";
	argv[i++] = nbuf;
	argv[i++] = "--interval";
	argv[i++] = ibuf;
	if (account != NULL) {
		argv[i++] = "-a";
		argv[i++] = account;
	}
	argv[i++] = "--";
	argv[i++] = c->src;
	argv[i] = NULL;
	if ((pid = spawn(timeline, "th-timeline", (char *const *)argv, o[1],
	    e[1])) == -1) {
		close(o[0]); close(o[1]); close(e[0]); close(e[1]);
		goto fail;
	}
	close(o[1]);
	close(e[1]);
	fcntl(o[0], F_SETFL, O_NONBLOCK);
	fcntl(e[0], F_SETFL, O_NONBLOCK);
	c->pid = pid;
	c->out = o[0];
	c->err = e[0];
	c->why[0] = c->end[0] = '\0';
	return;
fail:
	snprintf(c->end, sizeof(c->end), "cannot start th-timeline: %s",
	    strerror(errno));
}

static void
stop(struct col *c)
{
	int st;

	if (c->out != -1)
		close(c->out);
	if (c->err != -1)
		close(c->err);
	c->out = c->err = -1;
	if (c->pid > 0) {
		kill(c->pid, SIGTERM);
		while (waitpid(c->pid, &st, 0) == -1 && errno == EINTR)
			;
	}
	c->pid = 0;
	th_buf_truncate(&c->ob, 0);
	th_buf_truncate(&c->eb, 0);
}

/* A record (consumed) into its place: newest first, each id once. */
static void
add(struct col *c, jv rec)
{
	char *id;
	long long t;
	int i, wasempty = c->n == 0, live = c->sel == 0 && c->top == 0;

	if (jv_get_kind(rec) != JV_KIND_OBJECT ||
	    (id = th_jv_idstr(rec, "id")) == NULL) {
		jv_free(rec);
		return;
	}
	for (i = 0; i < c->n; i++)
		if (strcmp(c->p[i].id, id) == 0) {
			/* the same post again: its newer record */
			jv_free(c->p[i].rec);
			c->p[i].rec = rec;
			free(id);
			return;
		}
	t = th_jv_time(rec, "timestamp");
	for (i = 0; i < c->n && c->p[i].t > t; i++)
		;
	if (i == maxposts) {
		/* older than all of a full column */
		jv_free(rec);
		free(id);
		return;
	}
	if (c->n == maxposts) {
		/* the oldest goes: memory stays bounded */
		c->n--;
		jv_free(c->p[c->n].rec);
		free(c->p[c->n].id);
	}
	memmove(&c->p[i + 1], &c->p[i], (size_t)(c->n - i) * sizeof(*c->p));
	c->p[i].rec = rec;
	c->p[i].id = id;
	c->p[i].t = t;
	c->n++;
	/* a reader at the top stays with the newest; one who scrolled
	 * keeps the post and the view they had */
	if (!wasempty && !live) {
		if (i <= c->sel)
			c->sel++;
		if (i < c->top)
			c->top++;
	}
	if (c->sel >= c->n)
		c->sel = c->n - 1;
	if (c->top > c->sel)
		c->top = c->sel;
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
	while ((nl = memchr(b->s + off, '\n', b->len - off)) != NULL) {
		s = b->s + off;
		len = (size_t)(nl - s);
		if (isout)
			add(c, th_json_parse(s, len));
		else if (len > 0) {
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
		    WEXITSTATUS(st), inwords(WEXITSTATUS(st)));
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

/* Post i of c as th-show draws it, in b (emptied first). */
static void
render(struct col *c, int i, int w, struct th_buf *b)
{
	th_buf_truncate(b, 0);
	so.width = w;
	th_show_record(b, &so, c->p[i].rec, 0);
	if (b->oom)
		th_die(TH_EIO, "out of memory");
}

static int
lines(const struct th_buf *b)
{
	int n = 0;
	size_t i;

	for (i = 0; i < b->len; i++)
		n += b->s[i] == '\n';
	return n;
}

/* Scroll c so that its selected post shows whole (as far as it can). */
static void
follow_sel(struct col *c, int w, int h)
{
	struct th_buf b = TH_BUF_INIT;
	int i, used;

	if (c->sel < c->top)
		c->top = c->sel;
	for (;;) {
		used = 0;
		for (i = c->top; i <= c->sel; i++) {
			render(c, i, w, &b);
			used += lines(&b);
		}
		if (used <= h || c->top >= c->sel)
			break;
		c->top++;
	}
	th_buf_free(&b);
}

/* Width of the text in a column of w cells: a gutter of one. */
#define TEXTW(w)	((w) - 1)

static void
drawcol(struct col *c, int x, int w, int focused)
{
	struct th_buf b = TH_BUF_INIT;
	char title[TH_SRC_MAX + 32];
	int y = 1, h = LINES - 2, i, k, top;
	const char *s, *nl;

	snprintf(title, sizeof(title), "%c%s (%d)", focused ? '>' : ' ', c->src, c->n);
	put(0, x, w, title, strlen(title), focused ? A_REVERSE : A_BOLD & (attrs ? ~0 : 0));
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
			put(y, x, w, s, take, A_BOLD & (attrs ? ~0 : 0));
			for (s += take; *s == ' '; s++)
				;
		}
	}
	if (c->n == 0 && c->end[0] == '\0' && c->why[0] == '\0' && y < 1 + h)
		put(y++, x + 1, w - 1, "reading...", 10, 0);
	top = c->top;
	for (i = top; i < c->n && y < 1 + h; i++) {
		render(c, i, TEXTW(w), &b);
		for (k = 0, s = b.s; s != NULL && *s != '\0' && y < 1 + h; k++, y++) {
			attr_t a = 0;

			if ((nl = strchr(s, '\n')) == NULL)
				nl = s + strlen(s);
			if (attrs && k == 0)
				a = A_BOLD;
			else if (attrs && strncmp(s, "  https://", 10) == 0)
				a = A_DIM;
			if (i == c->sel && k == 0)
				mvaddch(y, x, focused ? '>' : '-');
			if (i == c->sel && focused)
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
	int i, n, w = 44, y0, x0;

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
		attron(A_REVERSE);
		printw("%-*.*s", w, w, i >= 0 && i < n ? help[i] : "");
		attroff(A_REVERSE);
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
	if (note[0] != '\0')
		snprintf(status, sizeof(status), "th-deck: %s", note);
	else
		snprintf(status, sizeof(status), "th-deck: column %d of %d  ? help  q quit",
		    focus + 1, ncols);
	put(LINES - 1, 0, COLS, status, strlen(status), A_REVERSE);
	if (showhelp)
		drawhelp();
	refresh();
}

/* ---- the loop ---------------------------------------------------------- */

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
openpost(struct col *c)
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

/* A 64-bit FNV-1a of s, for the reply's key: the same text to the same
 * post is the same key, so th-post's ledger posts it once. */
static unsigned long long
fnv(const char *s, size_t len)
{
	unsigned long long h = 1469598103934665603ULL;

	while (len-- > 0) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* R: the reply written in $EDITOR, then th-post -k deck-ID-HASH -r ID
 * in the background; its answer comes to the status line (finish()). */
static void
reply(struct col *c)
{
	struct th_buf text = TH_BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	char key[128], *argv[12];
	int fd, st, o[2], e[2], i = 0;
	pid_t pid;

	if (act.pid != 0) {
		snprintf(note, sizeof(note), "a reply is still being sent");
		return;
	}
	if (c->n == 0) {
		snprintf(note, sizeof(note), "no post to reply to");
		return;
	}
	snprintf(act.file, sizeof(act.file), "%s/th-deck.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if ((fd = mkstemp(act.file)) == -1) {
		snprintf(note, sizeof(note), "cannot make a file for the reply: %s",
		    strerror(errno));
		return;
	}
	close(fd);
	def_prog_mode();
	endwin();
	if ((pid = fork()) == 0) {
		signal(SIGWINCH, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", "exec ${EDITOR:-vi} \"$1\"", "sh",
		    act.file, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	reset_prog_mode();
	clear();
	if ((fd = open(act.file, O_RDONLY)) == -1 || th_buf_readfd(&text, fd) == -1 ||
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
	snprintf(key, sizeof(key), "deck-%s-%016llx", c->p[c->sel].id,
	    fnv(text.s, text.len));
	argv[i++] = "th-post";
	argv[i++] = "--json";
	argv[i++] = "-k";
	argv[i++] = key;
	argv[i++] = "-r";
	argv[i++] = c->p[c->sel].id;
	if (account != NULL) {
		argv[i++] = "-a";
		argv[i++] = (char *)account;
	}
	argv[i++] = "-F";
	argv[i++] = act.file;
	argv[i] = NULL;
	if (pipe2(o, O_CLOEXEC) == -1 || pipe2(e, O_CLOEXEC) == -1 ||
	    (pid = spawn(poster, "th-post", argv, o[1], e[1])) == -1) {
		snprintf(note, sizeof(note), "cannot run th-post: %s", strerror(errno));
		goto out;
	}
	close(o[1]);
	close(e[1]);
	fcntl(o[0], F_SETFL, O_NONBLOCK);
	fcntl(e[0], F_SETFL, O_NONBLOCK);
	act.pid = pid;
	act.out = o[0];
	act.err = e[0];
	snprintf(note, sizeof(note), "sending the reply...");
	th_buf_free(&text);
	return;
out:
	th_buf_free(&text);
	unlink(act.file);
	act.file[0] = '\0';
}

/* Read what the action says; when it has ended, its answer in note. */
static void
action(struct pollfd *po, struct pollfd *pe)
{
	char chunk[4096], *id, *nl;
	ssize_t r;
	int st, *fd;
	struct th_buf *b;
	struct pollfd *p;
	jv rec;
	int k;

	for (k = 0; k < 2; k++) {
		p = k == 0 ? po : pe;
		fd = k == 0 ? &act.out : &act.err;
		b = k == 0 ? &act.ob : &act.eb;
		if (*fd == -1 || !(p->revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if ((r = read(*fd, chunk, sizeof(chunk))) > 0) {
			if (b->len < 1 << 20)
				th_buf_add(b, chunk, (size_t)r);
		} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
			close(*fd);
			*fd = -1;
		}
	}
	if (act.pid == 0 || act.out != -1 || act.err != -1 ||
	    waitpid(act.pid, &st, WNOHANG) == 0)
		return;
	act.pid = 0;
	unlink(act.file);
	act.file[0] = '\0';
	rec = th_json_parse(act.ob.s != NULL ? act.ob.s : "", act.ob.len);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	    (id = th_jv_idstr(rec, "id")) != NULL) {
		jv dup = th_jv_get(rec, "duplicate");

		snprintf(note, sizeof(note), "%s %s", jv_get_kind(dup) == JV_KIND_TRUE ?
		    "already replied, not again:" : "replied:", id);
		jv_free(dup);
		free(id);
	} else {
		char *v;

		/* th-post's last message, and its status in words */
		while (act.eb.len > 0 && act.eb.s[act.eb.len - 1] == '\n')
			th_buf_truncate(&act.eb, act.eb.len - 1);
		v = act.eb.len > 0 ? act.eb.s : "";
		if ((nl = strrchr(v, '\n')) != NULL)
			v = nl + 1;
		v = th_text_visible(v, strlen(v), 0);
		snprintf(note, sizeof(note), "reply failed (exit %d, %s): %s",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		    inwords(WIFEXITED(st) ? WEXITSTATUS(st) : -1),
		    v != NULL ? v : "");
		free(v);
	}
	jv_free(rec);
	th_buf_truncate(&act.ob, 0);
	th_buf_truncate(&act.eb, 0);
}

/* A key: 0 to go on, 1 to quit. */
static int
key(int ch)
{
	struct col *c = &cols[focus];
	int w = (COLS - (fits() - 1)) / fits();

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
		if (c->sel + 1 < c->n)
			c->sel++;
		follow_sel(c, TEXTW(w), LINES - 2);
		break;
	case 'k':
	case KEY_UP:
		if (c->sel > 0)
			c->sel--;
		follow_sel(c, TEXTW(w), LINES - 2);
		break;
	case 'g':
		c->sel = c->top = 0;
		break;
	case 'o':
		openpost(c);
		return 0;
	case 'R':
		reply(c);
		return 0;
	case 'r':
		stop(c);
		start(c);
		break;
	}
	return 0;
}

/* verb beside th-deck (a build tree, an install) in buf, else "" (PATH) */
static void
beside(const char *argv0, const char *verb, char *buf, size_t size)
{
	const char *slash = strrchr(argv0, '/');

	if (slash != NULL && (size_t)snprintf(buf, size, "%.*s/%s",
	    (int)(slash - argv0), argv0, verb) < size && access(buf, X_OK) == 0)
		return;
	buf[0] = '\0';
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct pollfd *pfd;
	struct winsize ws;
	char out[TH_SRC_MAX], why[256], drop[64];
	const char *e;
	int c, i, n, ch, quit = 0, bad = 0;

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
	beside(argv[-optind], "th-timeline", timeline, sizeof(timeline));
	beside(argv[-optind], "th-post", poster, sizeof(poster));

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

	th_show_term(&so, STDOUT_FILENO, 80);
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

	if ((pfd = calloc((size_t)ncols * 2 + 4, sizeof(*pfd))) == NULL)
		th_die(TH_EIO, "out of memory");
	while (!quit) {
		int dirty = 0, waiting = 0;

		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = sigfd[0];
		pfd[1].events = POLLIN;
		for (i = 0; i < ncols; i++) {
			pfd[2 + 2 * i].fd = cols[i].out;
			pfd[2 + 2 * i].events = POLLIN;
			pfd[3 + 2 * i].fd = cols[i].err;
			pfd[3 + 2 * i].events = POLLIN;
			pfd[2 + 2 * i].revents = pfd[3 + 2 * i].revents = 0;
			waiting |= cols[i].pid > 0 && cols[i].out == -1 &&
			    cols[i].err == -1;
		}
		pfd[2 + 2 * ncols].fd = act.out;
		pfd[2 + 2 * ncols].events = POLLIN;
		pfd[3 + 2 * ncols].fd = act.err;
		pfd[3 + 2 * ncols].events = POLLIN;
		pfd[2 + 2 * ncols].revents = pfd[3 + 2 * ncols].revents = 0;
		waiting |= act.pid > 0 && act.out == -1 && act.err == -1;
		/* a second for the relative times; sooner to reap a child */
		if ((n = poll(pfd, (nfds_t)ncols * 2 + 4, waiting ? 50 : 1000)) == -1 &&
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
		if (act.pid > 0) {
			action(&pfd[2 + 2 * ncols], &pfd[3 + 2 * ncols]);
			dirty |= act.pid == 0;
		}
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
	free(pfd);
	if (act.pid > 0) {
		/* a reply half sent is let finish: its answer goes to stderr */
		th_msg(0, "waiting for the reply being sent");
		while (act.pid > 0) {
			struct pollfd ap[2] = { { act.out, POLLIN, 0 }, { act.err, POLLIN, 0 } };

			if (poll(ap, 2, 50) == -1 && errno != EINTR)
				break;
			action(&ap[0], &ap[1]);
		}
		th_msg(0, "%s", note);
	}
	th_buf_free(&act.ob);
	th_buf_free(&act.eb);
	for (i = 0; i < ncols; i++) {
		struct col *col = &cols[i];

		stop(col);
		th_buf_free(&col->ob);
		th_buf_free(&col->eb);
		for (n = 0; n < col->n; n++) {
			jv_free(col->p[n].rec);
			free(col->p[n].id);
		}
		free(col->p);
	}
	free(cols);
	th_exit(0);
}
