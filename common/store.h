/* store: files th owns on disk, written so that no reader sees half. */
#ifndef TH_STORE_H
#define TH_STORE_H
#include <stddef.h>
#include <sys/types.h>

#include <jv.h>

/* mkdir -p with mode for every directory created. Returns 0 or -1. */
int th_store_mkdirs(const char *dir, mode_t mode);
/*
 * Replace path with data atomically: a temporary file in the same
 * directory (mode), fsync, rename, fsync of the directory. Returns 0, or
 * -1 with errno set; the old file is then untouched.
 */
int th_store_replace(const char *path, const void *data, size_t len, mode_t mode);
/* An exclusive flock on path (created mode 0600). Returns the fd or -1. */
int th_store_lock(const char *path);
/* The same, giving up after waitms: -1 with errno EWOULDBLOCK when
 * another process still holds it then. */
int th_store_trylock(const char *path, long waitms);
void th_store_unlock(int fd);
/*
 * The publishing ledger, $XDG_STATE_HOME/th/ledger: append-only NDJSON,
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
