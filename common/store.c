/*
 * store: atomic replacement and locking. Cron jobs and CI runners start
 * verbs concurrently; every writer takes a lock and replaces whole files,
 * so a reader sees the old file or the new one, never a mixture, and a
 * writer killed half-way leaves the old file in place.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "store.h"

int
th_store_mkdirs(const char *dir, mode_t mode)
{
	char buf[PATH_MAX], *p;

	if (strlcpy(buf, dir, sizeof(buf)) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

int
th_store_replace(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[PATH_MAX], dir[PATH_MAX], *slash;
	const char *p = data, *base;
	ssize_t n;
	int fd, dfd, saved;

	if (strlcpy(dir, path, sizeof(dir)) >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		strlcpy(dir, ".", sizeof(dir));
	base = (base = strrchr(path, '/')) != NULL ? base + 1 : path;
	/* hidden, so that nobody listing the directory takes it for a file */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmpXXXXXX", dir, base) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		return -1;
	if (fchmod(fd, mode) == -1)
		goto fail;
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

int
th_store_lock(const char *path)
{
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return -1;
	while (flock(fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

int
th_store_trylock(const char *path, long waitms)
{
	struct timespec nap = { 0, 100 * 1000000L }, t0, t;
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (errno != EWOULDBLOCK || (t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 >= waitms) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	return fd;
}

void
th_store_unlock(int fd)
{
	if (fd != -1) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}
