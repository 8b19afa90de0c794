/* out: the NDJSON writer, with an optional jq filter compiled once. */
#ifndef TH_OUT_H
#define TH_OUT_H
#include <jv.h>

/* Compile filter (NULL: none, libjq's compiler is never started).
 * Returns 0, or 64 after printing the compile error. */
int th_out_init(const char *filter);
/*
 * Write v (consumed) as one compact line, or the results of the filter
 * applied to it: a string result is printed raw. Flushed per line.
 * Returns 0; 1 after a filter error (reported, the stream goes on);
 * 74 when stdout cannot be written (reported once).
 */
int th_out_emit(jv v);
/* Did the reader go away (EPIPE, with SIGPIPE ignored)? Not an error:
 * th_out_finish() then returns 0. */
int th_out_closed(void);
/* Flush and close stdout; release the filter. Returns 0 or 74. */
int th_out_finish(void);
#endif
