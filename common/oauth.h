/* oauth: the OAuth code flow, from the authorize URL to a long-lived token. */
#ifndef TH_OAUTH_H
#define TH_OAUTH_H

/*
 * One login by the code flow: the user opens the authorize URL, allows
 * access, and pastes back the address Threads sends the browser to; its
 * code is exchanged for a short-lived token, and that for a long-lived
 * one. The strings are borrowed and must outlive the flow.
 */
struct th_oauth {
	const char	*client_id;	/* the Threads app's id */
	const char	*redirect_uri;	/* as registered with the app */
	const char	*authorize;	/* the authorize endpoint; NULL: Threads' */
	const char	*scopes;	/* comma-separated */
	char		 state[33];	/* hex, fresh for each authorize URL: the
					 * redirect must bring it back */
};

/* The URL to open, with a fresh o->state; malloc'd. */
char *th_oauth_authorize_url(struct th_oauth *o);
/*
 * The code in the text the user pasted: the redirected URL, whose state
 * must be o->state (error=... in it is the user's refusal), or the bare
 * code. The "#_" Threads appends is cut. *code is malloc'd and a
 * registered secret. Returns 0, 65 (no code, not our state) or 77
 * (refused), after a message.
 */
int th_oauth_code(const struct th_oauth *o, const char *pasted, char **code);
/*
 * The code for a short-lived token: a POST form to /oauth/access_token
 * with the app's secret, no token. *tok is malloc'd and a registered
 * secret. Returns 0 or an exit status, after a message.
 */
int th_oauth_exchange(const struct th_oauth *o, const char *secret,
    const char *code, char **tok);
/*
 * A short-lived token (shorttok) for a long-lived one: a GET with the
 * secret and the token in the query, the only form the endpoint takes
 * (th-auth(1), CAVEATS). *tok is malloc'd and a registered secret;
 * *expires_in is its lifetime in seconds, 0 when the answer does not say.
 * Returns 0 or an exit status, after a message.
 */
int th_oauth_longlived(const char *secret, const char *shorttok, char **tok,
    long long *expires_in);
#endif
