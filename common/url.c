/*
 * url: https URLs as the fediverse reader needs them. Not a URL parser:
 * the host is what lies between "https://" and the first of "/?#", and
 * that is all a server's claim to a post is checked against.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "url.h"

int
th_url_https(const char *u)
{
	return u != NULL && strncasecmp(u, "https://", 8) == 0 && u[8] != '\0' &&
	    u[8] != '/';
}

void
th_url_host(const char *u, char *buf, size_t size)
{
	size_t n;

	u += 8;
	n = strcspn(u, "/?#");
	if (n >= size)
		n = size - 1;
	memcpy(buf, u, n);
	buf[n] = '\0';
}

int
th_url_onhost(const char *u, const char *host)
{
	size_t n;

	if (!th_url_https(u))
		return 0;
	n = strcspn(u + 8, "/?#");
	return n == strlen(host) && strncasecmp(u + 8, host, n) == 0 &&
	    memchr(u + 8, '@', n) == NULL;
}

char *
th_url_resolve(const char *base, const char *loc)
{
	const char *p;
	char *r;
	int n;

	if (strncasecmp(loc, "https://", 8) == 0 || strncasecmp(loc, "http://", 7) == 0)
		return th_strdup(loc);
	if (loc[0] == '/' && loc[1] == '/')
		n = asprintf(&r, "https:%s", loc);
	else if (loc[0] == '/')
		n = asprintf(&r, "%.*s%s", (int)(8 + strcspn(base + 8, "/?#")), base, loc);
	else {
		p = strrchr(base + 8, '/');
		n = p ? asprintf(&r, "%.*s/%s", (int)(p - base), base, loc) :
		    asprintf(&r, "%s/%s", base, loc);
	}
	if (n == -1)
		th_die(TH_EIO, "out of memory");
	return r;
}
