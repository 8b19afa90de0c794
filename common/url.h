/* url: the https URLs fediverse documents name, taken apart no further
 * than th needs. */
#ifndef TH_URL_H
#define TH_URL_H
#include <stddef.h>

/* Is u (NULL: no) an https URL with a host? */
int th_url_https(const char *u);
/* The host (with its port, if any) of an https URL in buf, cut to size. */
void th_url_host(const char *u, char *buf, size_t size);
/* Is u an https URL on host, with no user name before the host? */
int th_url_onhost(const char *u, const char *host);
/* A Location header (loc) against the URL it answered (base, https),
 * malloc'd. */
char *th_url_resolve(const char *base, const char *loc);
#endif
