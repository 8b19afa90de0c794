/* ledger: th-post's record of containers and posts, th-delete's of
 * deletions. */
#ifndef TH_LEDGER_H
#define TH_LEDGER_H
#include <jv.h>

/*
 * $XDG_STATE_HOME/th/ledger: append-only NDJSON,
 * one line per event, written under flock and fsync'd before the
 * caller goes on. th_ledger_append adds "time"; rec is consumed.
 * Returns 0 or 74 after a message. A write that fails part-way is taken
 * back (the ledger is as it was); a torn last line left by a crash is
 * ended, so the record starts on a line of its own.
 */
int th_ledger_append(jv rec);
/* The records whose "uid" and "key" are these (key NULL: any), oldest
 * first (an array; empty when there is no ledger). A torn line is
 * skipped with a warning naming the file and the line (once per
 * process); a record glued onto one by an earlier version is read. */
jv th_ledger_find(const char *uid, const char *key);
/* When the oldest `event` ("deleted") of uid in the last 24 h leaves
 * the quota window: epoch seconds, or 0. */
long long th_ledger_freeat(const char *uid, const char *event);
/* An exclusive lock for one (uid, key): the fd, or -1 after a message. */
int th_ledger_keylock(const char *uid, const char *key);
#endif
