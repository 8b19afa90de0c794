/* t-secret: redaction of registered secrets and token-shaped values. */
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "tap.h"

static char *
red(const char *s)
{
	return th_redact(s, strlen(s));
}

int
main(void)
{
	char *r;

	r = red("GET /v1.0/me?fields=id&access_token=THQVJabc123&limit=2");
	is_str(r, "GET /v1.0/me?fields=id&access_token=[REDACTED]&limit=2",
	    "access_token in a query string");
	free(r);
	r = red("{\"access_token\": \"THQVJabc\", \"user_id\": 1784}");
	is_str(r, "{\"access_token\": \"[REDACTED]\", \"user_id\": 1784}",
	    "access_token as a JSON member; numbers untouched");
	free(r);
	r = red("Authorization: Bearer THQVJxyz");
	is_str(r, "Authorization: Bearer [REDACTED]", "a Bearer header");
	free(r);
	r = red("client_secret=s3cr3t&code=AQBx#_");
	is_str(r, "client_secret=[REDACTED]&code=[REDACTED]#_", "client secret and OAuth code");
	free(r);
	r = red("{\"error_code\":1349168,\"code\":190}");
	is_str(r, "{\"error_code\":1349168,\"code\":190}", "numeric codes are not secrets");
	free(r);
	th_secret_add("CANARY-1234-xyz");
	r = red("token CANARY-1234-xyz appears twice: CANARY-1234-xyz");
	is_str(r, "token [REDACTED] appears twice: [REDACTED]", "a registered secret anywhere");
	free(r);
	th_secret_wipe();
	r = red("CANARY-1234-xyz");
	is_str(r, "CANARY-1234-xyz", "forgotten after wipe");
	free(r);
	return done_testing();
}
