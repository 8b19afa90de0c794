/* t-deck: th-deck's model (common/deck.c) without a terminal: a column
 * bounded by --max keeps the newest, in order, each id once; selection
 * and pages clamp and follow the lines th-show draws; a deleted post
 * leaves every view; the deck file written and read again; the exact
 * argv of the verbs the deck runs. tests/0950-deck.t drives the rest
 * through tmux. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jv.h>

#include "buf.h"
#include "deck.h"
#include "json.h"
#include "show.h"
#include "tap.h"

static char got[1024];

/* A post of id at epoch second t. */
static jv
post(const char *id, long long t)
{
	char json[256];

	snprintf(json, sizeof(json), "{\"id\":\"%s\",\"timestamp\":\"%lld\","
	    "\"username\":\"alice\",\"text\":\"post %s\"}", id, t, id);
	return th_json_parse(json, strlen(json));
}

/* The ids of v, in order, space separated. */
static const char *
ids(const struct th_deck_view *v)
{
	int i;

	got[0] = '\0';
	for (i = 0; i < v->n; i++) {
		if (i > 0)
			strlcat(got, " ", sizeof(got));
		strlcat(got, v->p[i].id, sizeof(got));
	}
	return got;
}

/* argv joined by spaces. */
static const char *
words(const char *const *argv)
{
	got[0] = '\0';
	for (; *argv != NULL; argv++) {
		if (got[0] != '\0')
			strlcat(got, " ", sizeof(got));
		strlcat(got, *argv, sizeof(got));
	}
	return got;
}

static void
collect(const char *src, void *arg)
{
	struct th_buf *b = arg;

	th_buf_add(b, src, strlen(src));
	th_buf_add(b, "|", 1);
}

static void
bounded(void)
{
	struct th_deck_view v, cv;
	size_t used;
	const char *nd = "{\"id\":\"9\",\"timestamp\":\"9\"}\nnot json\n\n"
	    "{\"id\":\"8\",\"timestamp\":\"8\"}\n{\"id\":\"7\",";

	th_deck_view_init(&v, 3, 0);
	th_deck_add(&v, post("1", 100));
	th_deck_add(&v, post("3", 300));
	th_deck_add(&v, post("2", 200));
	is_str(ids(&v), "3 2 1", "newest first, whatever order they come in");
	th_deck_add(&v, post("5", 500));
	th_deck_add(&v, post("4", 400));
	is_str(ids(&v), "5 4 3", "--max 3: the oldest go, the newest 3 stay");
	th_deck_add(&v, post("0", 50));
	is_str(ids(&v), "5 4 3", "a post older than all of a full column is not kept");
	th_deck_add(&v, post("4", 400));
	is_str(ids(&v), "5 4 3", "the same id again is one post");
	th_deck_add(&v, jv_string("not a post"));
	th_deck_add(&v, th_json_parse("{\"text\":\"no id\"}", 16));
	is_int(v.n, 3, "a record not an object, or of no id, is dropped");

	th_deck_view_init(&cv, 10, 1);
	th_deck_add(&cv, post("b", 200));
	th_deck_add(&cv, post("a", 100));
	th_deck_add(&cv, post("c", 300));
	is_str(ids(&cv), "a b c", "a conversation is oldest first");
	th_deck_view_empty(&cv);
	is_int(cv.n, 0, "emptied");

	used = th_deck_feed(&cv, nd, strlen(nd));
	is_int(used, strlen(nd) - strlen("{\"id\":\"7\","),
	    "feed: every whole line used, what follows the last newline left");
	is_str(ids(&cv), "8 9", "feed: each NDJSON post in place, bad lines skipped");
	th_deck_view_free(&v);
	th_deck_view_free(&cv);
}

static void
selection(void)
{
	struct th_show so = { .width = 40, .relative = 0, .utc = 1, .now = 0 };
	struct th_deck_view v;
	struct th_buf b = TH_BUF_INIT;
	int i, L;
	char id[8];

	th_deck_view_init(&v, 10, 0);
	th_deck_select(&v, 5, &so, 40, 20);
	ok(v.sel == 0 && v.top == 0, "an empty column: selection stays at 0");
	for (i = 1; i <= 5; i++) {
		snprintf(id, sizeof(id), "%d", i);
		th_deck_add(&v, post(id, i * 100));
	}
	is_str(ids(&v), "5 4 3 2 1", "five posts");
	th_deck_render(&v, 0, &so, 39, &b);
	L = th_deck_lines(&b);
	ok(L >= 3, "a post is %d lines (header, text, blank at least)", L);
	ok(so.width == 39, "render draws at the width asked");
	th_buf_free(&b);

	th_deck_select(&v, -1, &so, 39, 2 * L);
	ok(v.sel == 0 && v.top == 0, "above the newest: the newest");
	th_deck_select(&v, 99, &so, 39, 2 * L);
	is_int(v.sel, 4, "below the oldest: the oldest");
	is_int(v.top, 3, "scrolled so that the selected post shows whole "
	    "(h: 2 posts of %d lines)", L);
	th_deck_select(&v, 1, &so, 39, 2 * L);
	ok(v.sel == 1 && v.top == 1, "up above the top: the top follows");

	th_deck_add(&v, post("6", 600));
	is_str(v.p[v.sel].id, "4", "a reader who scrolled keeps the post selected");
	is_int(v.top, 2, "and the post at the top");
	th_deck_select(&v, 0, &so, 39, 2 * L);
	th_deck_add(&v, post("7", 700));
	ok(v.sel == 0 && v.top == 0 && strcmp(v.p[0].id, "7") == 0,
	    "a reader at the top stays with the newest");
	is_str(ids(&v), "7 6 5 4 3 2 1", "seven posts");

	th_deck_page(&v, 1, &so, 39, 2 * L);
	ok(v.sel == 2 && v.top == 2, "page down: the first post not shown whole "
	    "to the top, selected (%d, %d)", v.sel, v.top);
	th_deck_page(&v, 1, &so, 39, 2 * L);
	ok(v.sel == 4 && v.top == 4, "page down again (%d, %d)", v.sel, v.top);
	th_deck_page(&v, 1, &so, 39, 2 * L);
	th_deck_page(&v, 1, &so, 39, 2 * L);
	ok(v.sel == 6 && v.top == 6, "page down at the end: the oldest, at the "
	    "top (%d, %d)", v.sel, v.top);
	th_deck_page(&v, 0, &so, 39, 2 * L);
	ok(v.sel == 4 && v.top == 4, "page up: a screenful back (%d, %d)",
	    v.sel, v.top);
	th_deck_page(&v, 0, &so, 39, 2 * L);
	th_deck_page(&v, 0, &so, 39, 2 * L);
	th_deck_page(&v, 0, &so, 39, 2 * L);
	ok(v.sel == 0 && v.top == 0, "page up at the top: the newest (%d, %d)",
	    v.sel, v.top);
	th_deck_view_free(&v);
}

static void
dropped(void)
{
	struct th_deck_view v[3];
	int i;

	for (i = 0; i < 3; i++)
		th_deck_view_init(&v[i], 10, i == 2);
	th_deck_add(&v[0], post("1", 100));
	th_deck_add(&v[0], post("2", 200));
	th_deck_add(&v[0], post("3", 300));
	th_deck_add(&v[1], post("9", 900));
	th_deck_add(&v[2], post("2", 200));
	th_deck_add(&v[2], post("4", 400));
	v[0].sel = 2;
	th_deck_mark(&v[0], "2", 1);
	ok(v[0].p[1].hidden && !v[0].p[0].hidden, "marked hidden: that post only");
	for (i = 0; i < 3; i++)
		th_deck_drop(&v[i], "2");
	is_str(ids(&v[0]), "3 1", "deleted: gone from the first column");
	is_str(ids(&v[1]), "9", "a column without it as it was");
	is_str(ids(&v[2]), "4", "gone from the conversation too");
	is_int(v[0].sel, 1, "the selection stays on the post it was on");
	is_int(th_deck_drop(&v[0], "3"), 1, "dropping a post says it was there");
	is_int(th_deck_drop(&v[0], "3"), 0, "and not again");
	th_deck_drop(&v[0], "1");
	ok(v[0].n == 0 && v[0].sel == 0 && v[0].top == 0, "the last one dropped: "
	    "an empty column, selection 0");
	for (i = 0; i < 3; i++)
		th_deck_view_free(&v[i]);
}

static void
deckfile(void)
{
	const char *srcs[] = { "me", "#ramen", "list:rust" };
	char dir[] = "/tmp/t-deck.XXXXXX", path[4096], file[4200];
	struct th_buf b = TH_BUF_INIT;
	FILE *f;
	int fd;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	is_int(th_deck_write(dir, "work", srcs, 3, path, sizeof(path)), 0,
	    "a deck written");
	snprintf(file, sizeof(file), "%s/decks/work", dir);
	is_str(path, file, "to DIR/decks/NAME");
	if ((fd = open(path, O_RDONLY)) != -1) {
		th_buf_readfd(&b, fd);
		close(fd);
	}
	th_buf_add(&b, "", 1);
	is_str(b.s, "me\n#ramen\nlist:rust\n", "one source a line");
	th_buf_truncate(&b, 0);
	th_deck_read(dir, "work", collect, &b);
	th_buf_add(&b, "", 1);
	is_str(b.s, "me|#ramen|list:rust|", "read again: the same columns");

	if ((f = fopen(path, "w")) != NULL) {
		fputs("# my deck\n\nme  \n#\n\t\nmentions\r\n# a comment\n#ramen\n", f);
		fclose(f);
	}
	th_buf_truncate(&b, 0);
	th_deck_read(dir, "work", collect, &b);
	th_buf_add(&b, "", 1);
	is_str(b.s, "me|mentions|#ramen|", "comments, blank lines and trailing "
	    "blanks skipped; \"#ramen\" is a column, not a comment");
	errno = 0;
	ok(th_deck_write(dir, "../x", srcs, 1, path, sizeof(path)) == -1 &&
	    errno == EINVAL && path[0] == '\0', "a bad name: nothing written, EINVAL");
	th_buf_free(&b);
	unlink(file);
	snprintf(file, sizeof(file), "%s/decks", dir);
	rmdir(file);
	rmdir(dir);
}

static void
argvs(void)
{
	const char *argv[TH_DECK_ARGV];
	char nbuf[32], ibuf[32], key[128];

	th_deck_follow_argv(argv, nbuf, ibuf, 200, 60, NULL, "#ramen");
	is_str(words(argv), "th-timeline -f --json -n 30 --interval 60 -- #ramen",
	    "a column's reader: a screenful first, then follow");
	th_deck_follow_argv(argv, nbuf, ibuf, 5, 90, "work", "me");
	is_str(words(argv), "th-timeline -f --json -n 5 --interval 90 -a work -- me",
	    "with --max under a screenful, and an account");
	th_deck_conv_argv(argv, nbuf, 200, NULL, "1789");
	is_str(words(argv), "th-timeline --json -n 199 -c 1789",
	    "a conversation: the post and --max - 1 replies");
	th_deck_verb_argv(argv, TH_DECK_DELETE, NULL, "1789");
	is_str(words(argv), "th-delete --json -- 1789", "delete");
	th_deck_verb_argv(argv, TH_DECK_REPOST, "work", "1789");
	is_str(words(argv), "th-repost --json -a work -- 1789", "repost");
	th_deck_verb_argv(argv, TH_DECK_HIDE, NULL, "1789");
	is_str(words(argv), "th-hide --json -- 1789", "hide");
	th_deck_verb_argv(argv, TH_DECK_UNHIDE, "work", "1789");
	is_str(words(argv), "th-hide --json -u -a work -- 1789", "unhide");
	/* FNV-1a's steps from 1469598103934665603, the basis th-deck has
	 * always used (the standard one has a 7 more): keys stay as before */
	th_deck_reply_key(key, sizeof(key), "1789", "hello", 5);
	is_str(key, "deck-1789-005a0d15131ec7a1", "a reply's key: the post and "
	    "a 64-bit FNV-1a of the text");
	th_deck_reply_argv(argv, key, "work", "1789", "/tmp/th-deck.x");
	is_str(words(argv), "th-post --json -k deck-1789-005a0d15131ec7a1 -r 1789 "
	    "-a work -F /tmp/th-deck.x", "a reply, with its key");
	is_str(th_deck_inwords(75), "rate limited or out of quota: try later",
	    "an exit status in words");
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	bounded();
	selection();
	dropped();
	deckfile();
	argvs();
	return done_testing();
}
