/* auth: where the access token comes from. */
#ifndef TH_AUTH_H
#define TH_AUTH_H

/*
 * Find the token: TH_ACCESS_TOKEN, then --token-file / TH_TOKEN_FILE, then
 * the account file $XDG_CONFIG_HOME/th/accounts/NAME. *tok is malloc'd and
 * registered as a secret. Returns 0, 77 (no token) or 78 (a token file
 * others can read, or one that cannot be parsed), after printing why.
 */
int th_auth_token(char **tok);
#endif
