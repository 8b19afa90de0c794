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
void th_store_unlock(int fd);
/*
 * The publishing ledger, $XDG_STATE_HOME/th/ledger: append-only NDJSON,
 * one line per event, written under flock and fsync'd before the
 * caller goes on. th_ledger_append adds "time"; rec is consumed.
 * Returns 0 or 74 after a message.
 */
int th_ledger_append(jv rec);
/* The records whose "uid" and "key" are these (key NULL: any), oldest
 * first (an array; empty when there is no ledger). Torn lines are
 * skipped. */
jv th_ledger_find(const char *uid, const char *key);
/* When the oldest `event` ("deleted") of uid in the last 24 h leaves
 * the quota window: epoch seconds, or 0. */
long long th_ledger_freeat(const char *uid, const char *event);
/* An exclusive lock for one (uid, key): the fd, or -1 after a message. */
int th_ledger_keylock(const char *uid, const char *key);
#endif
