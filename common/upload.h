/* upload: the contained TH_UPLOAD_CMD hook. */
#ifndef TH_UPLOAD_H
#define TH_UPLOAD_H
#include "post.h"

/*
 * Run command (a /bin/sh command line, given the path as its last
 * argument) on the local file path; *url (malloc'd) is the public URL
 * it printed on its first line. It gets /dev/null for stdin, th's
 * environment without its secrets, descriptors 0-2 only, and timeout
 * seconds. Returns 0, 1 (it failed or printed no URL), 69 (killed at the
 * deadline) or 74, with f filled.
 */
int th_upload(const char *command, const char *path, long timeout, char **url,
    struct th_fail *f);
#endif
