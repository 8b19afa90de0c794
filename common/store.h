/* store: files th owns on disk, written so that no reader sees half. */
#ifndef TH_STORE_H
#define TH_STORE_H
#include <stddef.h>
#include <sys/types.h>

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
#endif
