/* out: the NDJSON writer, with an optional jq filter compiled once. */
#ifndef TH_OUT_H
#define TH_OUT_H
#include <jv.h>

#include "buf.h"

/* Compile filter (NULL: none, libjq's compiler is never started).
 * Returns 0, or 64 after printing the compile error. */
int th_out_init(const char *filter);
/*
 * Records drawn for a person: with a renderer registered, no filter, and
 * stdout a terminal, th_out_emit() writes what fn appends to b for an
 * object instead of its JSON line (gh and git do the same). fn borrows
 * rec; what it appends must be safe for a terminal as it is (th-show's
 * renderer makes every string visible first); it returns -1 when it does
 * not draw such a record, which is then written as JSON. A pipe or a
 * file always gets NDJSON. NULL: none, the default.
 */
typedef int th_out_renderfn(struct th_buf *b, jv rec);
void th_out_render(th_out_renderfn *fn);
/*
 * Write v (consumed) as one compact line, or the results of the filter
 * applied to it: a string result is printed raw. Flushed per line, or
 * per page once the caller calls th_out_flush() (never on a terminal or
 * when stderr is stdout). On a
 * terminal nothing that drives it is written (see th_text_visible()), and
 * an object is drawn when a renderer is registered; a pipe gets the bytes
 * as they are. Returns 0, also after a filter error
 * (reported and remembered for th_out_finish(): the other records still
 * print); 74 when stdout cannot be written (reported once).
 */
int th_out_emit(jv v);
/*
 * The end of a page of records: those held are filtered and written now.
 * A caller that calls it says where its pages end, and that it calls it
 * before it waits (a follow run's sleep, a state file saved once the
 * output is out): from its first call on, records with a --jq filter may
 * be held until the next call (at most 100 of them) and filtered in one
 * libjq run, with the same output, messages and status as a record at a
 * time, and lines for a pipe or a file wait in stdio's buffer until the
 * next call. A verb that never calls it gets every record out as it comes.
 * Returns 0, or 74 when stdout cannot be written (reported once).
 */
int th_out_flush(void);
/* Did the reader go away (EPIPE, with SIGPIPE ignored)? Not an error:
 * th_out_finish() then returns 0, or 1 after a filter error. */
int th_out_closed(void);
/* Flush and close stdout; release the filter. Returns 74 when stdout
 * could not be written, else 1 when the filter failed on any record,
 * else 0. */
int th_out_finish(void);
/* th_out_finish() as a th_atexit_status() cleanup: the status to exit
 * with instead of status. A write error wins (74); a filter that failed
 * is one more item that failed (th_status_merge() with 1). */
int th_out_exit(int status);
#endif
