/* secret: remember which strings are secrets and scrub them from text. */
#ifndef TH_SECRET_H
#define TH_SECRET_H
#include <stddef.h>

/* Register s (copied) as a secret: th_redact() replaces it from now on. */
void th_secret_add(const char *s);
/* Wipe every registered secret from memory (explicit_bzero) and forget it. */
void th_secret_wipe(void);
/*
 * Return a malloc'd copy of s with every registered secret and every
 * token-shaped value (access_token=…, "access_token":"…", client_secret,
 * code, Authorization: Bearer …) replaced by "[REDACTED]".
 */
char *th_redact(const char *s, size_t len);
#endif
