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
	int		 relative;	/* recent times also as "5m ago": a
					 * time of day, "Tue" before it when
					 * not today, within a week; then a
					 * date and time; 0: "%Y-%m-%d %H:%M
					 * JST", date, time and zone always */
	int		 utc;		/* times in UTC, said so; 0: in the
					 * local zone (TZ) */
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
 * given, or when it is 0 (none given) the width of the terminal, else
 * $COLUMNS (20..1000), else 80; now is the time now.
 */
void th_show_term(struct th_show *o, int fd, int width);

/*
 * When t (epoch s) was, as o says (relative, utc), for a person: in
 * the local zone, the time of day always there. At most 64 bytes.
 */
void th_show_time(const struct th_show *o, long long t, char *buf, size_t size);

/*
 * One record (an object, borrowed) appended to b as it is shown alone: a
 * post, indented by 2 * depth columns (header, wrapped text, media,
 * quote, repost, permalink, a blank line); a repost says "@bob reposted
 * @alice" when the record names whose post it is (reposted_post's
 * username or attributed_to; Threads itself sends only its id), and shows
 * the reposted text when the record has it; a profile; a th-stats
 * --quota record; any other object as "key value" pairs on one line.
 * Dies (74) when out of memory.
 */
void th_show_record(struct th_buf *b, const struct th_show *o, jv rec, int depth);

/*
 * Every record of recs (an array of objects, borrowed) to f, in order,
 * as th-show shows its input: a reply under its parent when the parent
 * is among them (at most 8 deep), a repost naming the author of the
 * reposted post when that post is among them, a run of one th-stats time
 * series ({date, metric}...) as one sparkline. Written record by record, so
 * that a long input shows up at once. Returns 0, or -1 with errno set
 * when f cannot be written (nothing more is written, nothing is said).
 * Dies (74) when out of memory.
 */
int th_show_all(const struct th_show *o, jv recs, FILE *f);
#endif
