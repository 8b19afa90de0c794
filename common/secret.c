/*
 * secret: tokens, app secrets and OAuth codes must never reach a log, a
 * message or stdout by accident. Every place that prints text it did not
 * write itself (server bodies, URLs, error messages) passes it through
 * th_redact(), which knows the registered secrets and the shapes a secret
 * takes in the Threads API (query parameters, JSON members, headers).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"

#define MAXSECRETS 16

static char *secrets[MAXSECRETS];
static size_t nsecrets;

void
th_secret_add(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) < 4 || nsecrets == MAXSECRETS)
		return;
	for (i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], s) == 0)
			return;
	if ((secrets[nsecrets] = strdup(s)) != NULL)
		nsecrets++;
}

void
th_secret_wipe(void)
{
	size_t i;

	for (i = 0; i < nsecrets; i++) {
		explicit_bzero(secrets[i], strlen(secrets[i]));
		free(secrets[i]);
		secrets[i] = NULL;
	}
	nsecrets = 0;
}

/* Names whose values are secret, in a query string, a form or JSON. */
static const char *const secretnames[] = {
	"access_token", "input_token", "client_secret", "code",
	"refresh_token", NULL
};

static const char REDACTED[] = "[REDACTED]";

/* Length of the value starting at p that ends at one of the stop bytes. */
static size_t
valuelen(const char *p, const char *end, const char *stop)
{
	const char *q = p;

	while (q < end && *q != '\0' && strchr(stop, *q) == NULL)
		q++;
	return q - p;
}

/*
 * If a secret-named parameter or member starts at p (p[-1] is a separator),
 * return the offset and length of its value.
 */
static int
namedvalue(const char *s, const char *p, const char *end, size_t *voff,
    size_t *vlen)
{
	const char *const *n;
	const char *q;
	size_t l;
	int quoted;

	quoted = (p > s && p[-1] == '"');
	if (p > s && !quoted && strchr("?&; \t\n,{", p[-1]) == NULL)
		return 0;
	for (n = secretnames; *n != NULL; n++) {
		l = strlen(*n);
		if ((size_t)(end - p) <= l || strncmp(p, *n, l) != 0)
			continue;
		q = p + l;
		if (quoted) {
			if (*q != '"')
				continue;
			q++;
			while (q < end && isspace((unsigned char)*q))
				q++;
			if (q >= end || *q != ':')
				continue;
			q++;
			while (q < end && isspace((unsigned char)*q))
				q++;
			if (q >= end || *q != '"')
				continue;	/* numbers and null are not secrets */
			q++;
			*voff = q - s;
			*vlen = valuelen(q, end, "\"");
			return 1;
		}
		if (*q != '=')
			continue;
		q++;
		*voff = q - s;
		*vlen = valuelen(q, end, "&# \t\r\n\"'");
		return 1;
	}
	return 0;
}

char *
th_redact(const char *s, size_t len)
{
	const char *end = s + len;
	char *out, *o;
	size_t i, voff, vlen, cap;
	const char *p;
	static const char bearer[] = "Bearer ";

	/* Every replacement is at least as long as what it replaces, or
	 * shorter than REDACTED: bound the output generously. */
	cap = len * (sizeof(REDACTED)) + 1;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	o = out;
	p = s;
	while (p < end) {
		for (i = 0; i < nsecrets; i++) {
			size_t l = strlen(secrets[i]);
			if ((size_t)(end - p) >= l && memcmp(p, secrets[i], l) == 0)
				break;
		}
		if (i < nsecrets) {
			memcpy(o, REDACTED, sizeof(REDACTED) - 1);
			o += sizeof(REDACTED) - 1;
			p += strlen(secrets[i]);
			continue;
		}
		if ((size_t)(end - p) > sizeof(bearer) - 1 &&
		    strncasecmp(p, bearer, sizeof(bearer) - 1) == 0) {
			memcpy(o, p, sizeof(bearer) - 1);
			o += sizeof(bearer) - 1;
			p += sizeof(bearer) - 1;
			vlen = valuelen(p, end, " \t\r\n\"'");
			if (vlen > 0) {
				memcpy(o, REDACTED, sizeof(REDACTED) - 1);
				o += sizeof(REDACTED) - 1;
				p += vlen;
			}
			continue;
		}
		if (namedvalue(s, p, end, &voff, &vlen) && vlen > 0) {
			size_t pre = (s + voff) - p;
			memcpy(o, p, pre);
			o += pre;
			memcpy(o, REDACTED, sizeof(REDACTED) - 1);
			o += sizeof(REDACTED) - 1;
			p = s + voff + vlen;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}
