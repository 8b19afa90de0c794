/* deck.h: th-deck's model, without a terminal: columns of posts bounded
 * by --max, their selection and pages, the deck file, and the argv of
 * the verbs the deck runs. cmd/th-deck.c draws it with curses. */
#ifndef TH_DECK_H
#define TH_DECK_H

#include <stddef.h>

#include <jv.h>

#include "buf.h"
#include "list.h"
#include "show.h"

/* A post kept in a view. */
struct th_deck_post {
	jv		 rec;		/* the record, owned */
	char		*id;		/* its id, malloc'd */
	long long	 t;		/* its time, epoch s (-1: none) */
	int		 hidden;	/* hidden with H by us: H unhides */
};

/* Posts as a column shows them: at most max. */
struct th_deck_view {
	struct th_deck_post *p;		/* max of them, calloc'd */
	int		 n, max;
	int		 sel, top;	/* selected post, first one shown */
	int		 asc;		/* oldest first (a conversation) */
};

/* The actions, by the verb each runs. */
enum { TH_DECK_REPLY = 1, TH_DECK_DELETE, TH_DECK_REPOST, TH_DECK_HIDE,
	TH_DECK_UNHIDE };

/* The most words th_deck_*_argv() write, with the NULL. */
#define TH_DECK_ARGV	16

int	th_deck_view_init(struct th_deck_view *v, int max, int asc);
void	th_deck_view_empty(struct th_deck_view *v);
void	th_deck_view_free(struct th_deck_view *v);
void	th_deck_add(struct th_deck_view *v, jv rec);	/* consumes rec */
size_t	th_deck_feed(struct th_deck_view *v, const char *s, size_t len);
int	th_deck_drop(struct th_deck_view *v, const char *id);
void	th_deck_mark(struct th_deck_view *v, const char *id, int hidden);

void	th_deck_render(const struct th_deck_view *v, int i, struct th_show *so,
	    int w, struct th_buf *b);
int	th_deck_lines(const struct th_buf *b);
void	th_deck_select(struct th_deck_view *v, int i, struct th_show *so, int w,
	    int h);
void	th_deck_follow(struct th_deck_view *v, struct th_show *so, int w, int h);
void	th_deck_page(struct th_deck_view *v, int down, struct th_show *so, int w,
	    int h);

typedef void th_deck_col_fn(const char *src, void *arg);
void	th_deck_read(const char *dir, const char *name, th_deck_col_fn *fn,
	    void *arg);
int	th_deck_write(const char *dir, const char *name, const char *const *srcs,
	    int n, char *path, size_t pathsz);

const char *th_deck_inwords(int status);
const char *th_deck_verb(int kind);
int	th_deck_follow_argv(const char *argv[TH_DECK_ARGV], char nbuf[32],
	    char ibuf[32], long max, long interval, const char *account,
	    const char *src);
int	th_deck_conv_argv(const char *argv[TH_DECK_ARGV], char nbuf[32], long max,
	    const char *account, const char *id);
int	th_deck_verb_argv(const char *argv[TH_DECK_ARGV], int kind,
	    const char *account, const char *id);
void	th_deck_reply_key(char *key, size_t keysz, const char *id,
	    const char *text, size_t len);
int	th_deck_reply_argv(const char *argv[TH_DECK_ARGV], const char *key,
	    const char *account, const char *id, const char *file);

#endif
