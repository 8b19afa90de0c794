/* show: records drawn for a person at a terminal, by th-show's rules. */
#ifndef TH_SHOW_H
#define TH_SHOW_H
#include <stdio.h>
#include <jv.h>

#include "buf.h"

/*
 * How records are drawn. th_show_term() fills it as th-show does; a
 * caller that owns its screen (curses) may fill it itself. Whatever it
 * says, text from a record never reaches the terminal as it is: control
 * characters, escape sequences and bidi overrides are shown as visible
 * text (^[ ^G <U+202E>), by th_text_visible().
 */
struct th_show {
	int		 width;		/* columns text is wrapped to; a line
					 * is never narrower than 20 */
	int		 colour;	/* names bold, times and links dim (SGR) */
	int		 relative;	/* times as now, 5m, 3h, 2d, or a date
					 * after a week; 0: "%Y-%m-%d %H:%M UTC" */
	int		 utf8;		/* the terminal shows UTF-8: columns by
					 * wcwidth() (LC_CTYPE must be UTF-8),
					 * sparkline bars; 0: a byte a column,
					 * ASCII bars */
	long long	 now;		/* what relative times count from, epoch s */
};

/*
 * o as th-show draws on the terminal fd: UTF-8 when the C.UTF-8 locale
 * can be had (LC_CTYPE is set to it); relative times and colour when fd
 * is a terminal, colour not with NO_COLOR set or TERM=dumb; width as
 * given, except that 80 (th-show's default) gives way to the width of
 * the terminal, else to $COLUMNS (20..1000); now is the time now.
 */
void th_show_term(struct th_show *o, int fd, int width);

/*
 * One record (an object, borrowed) appended to b as it is shown alone: a
 * post, indented by 2 * depth columns (header, wrapped text, media,
 * quote, repost, permalink, a blank line); a profile; a th-stats --quota
 * record; any other object as "key value" pairs on one line. Dies (74)
 * when out of memory.
 */
void th_show_record(struct th_buf *b, const struct th_show *o, jv rec, int depth);

/*
 * Every record of recs (an array of objects, borrowed) to f, in order,
 * as th-show shows its input: a reply under its parent when the parent
 * is among them (at most 8 deep), a run of one th-stats time series
 * ({date, metric}...) as one sparkline. Written record by record, so
 * that a long input shows up at once. Returns 0, or -1 with errno set
 * when f cannot be written (nothing more is written, nothing is said).
 * Dies (74) when out of memory.
 */
int th_show_all(const struct th_show *o, jv recs, FILE *f);
#endif
