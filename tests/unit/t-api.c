/* t-api: error classification into exit codes; URL building. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "config.h"
#include "json.h"
#include "msg.h"
#include "tap.h"

static int
classify(long http, const char *body, char *why, size_t size)
{
	jv b = body ? th_json_parse(body, strlen(body)) : jv_null(), d;
	enum th_api_kind k;

	if (!jv_is_valid(b)) {
		jv_free(b);
		b = jv_null();
	}
	k = th_api_classify(http, b, &d, why, size);
	jv_free(b);
	jv_free(d);
	return th_api_exit(k);
}

int
main(void)
{
	char why[512], *u;
	jv p;

	is_int(classify(200, "{\"id\":\"1\"}", why, sizeof(why)), 0, "200 with an object is success");
	is_int(classify(500, "{\"error\": {\"message\": \"Invalid OAuth 2.0 Access Token\", "
	    "\"type\": \"THApiException\", \"code\": 190}}", why, sizeof(why)), 77,
	    "190 served with HTTP 500 is an auth failure (77), not a server error");
	is_int(classify(500, "{\"error\":{\"message\":\"Invalid parameter\",\"type\":"
	    "\"THApiException\",\"code\":100}}", why, sizeof(why)), 1,
	    "code 100 served with HTTP 500 is permanent (1)");
	is_str(why, "Invalid parameter (code 100)", "the reason is the API's message and code");
	is_int(classify(503, "{\"error\":{\"message\":\"Service temporarily unavailable\","
	    "\"code\":2,\"is_transient\":true}}", why, sizeof(why)), 69,
	    "code 2 is transient (69 once retries run out)");
	is_int(classify(400, "{\"error\":{\"message\":\"x\",\"code\":9999,\"is_transient\":true}}",
	    why, sizeof(why)), 69, "is_transient makes any code transient");
	is_int(classify(400, "{\"error\":{\"message\":\"Application request limit reached\","
	    "\"code\":4}}", why, sizeof(why)), 75, "code 4 is a rate limit (75)");
	is_int(classify(400, "{\"error\":{\"code\":613}}", why, sizeof(why)), 75, "613 is a rate limit");
	is_int(classify(400, "{\"error\":{\"code\":17}}", why, sizeof(why)), 75, "17 is a rate limit");
	is_int(classify(400, "{\"error\":{\"code\":32}}", why, sizeof(why)), 75, "32 is a rate limit");
	is_int(classify(400, "{\"error\":{\"message\":\"Session has expired\",\"code\":190,"
	    "\"error_subcode\":463}}", why, sizeof(why)), 77, "190/463 is 77");
	is_str(why, "Session has expired (code 190/463)", "the subcode is in the reason");
	is_int(classify(500, "{\"error\":{\"message\":\"Application does not have permission\","
	    "\"code\":10}}", why, sizeof(why)), 77, "10 (permission) with HTTP 500 is 77");
	is_int(classify(400, "{\"error_type\":\"OAuthException\",\"code\":400,"
	    "\"error_message\":\"Matching code was not found or was already used\"}",
	    why, sizeof(why)), 1, "the flat OAuth shape is understood (1)");
	is_str(why, "Matching code was not found or was already used", "its message is the reason");
	is_int(classify(400, "{\"error_message\":\"URL Blocked\",\"error_code\":1349168}",
	    why, sizeof(why)), 1, "the authorize-window shape is understood");
	is_int(classify(200, "{\"id\":\"1\",\"status\":\"ERROR\","
	    "\"error_message\":\"FAILED_DOWNLOADING_VIDEO\"}", why, sizeof(why)), 0,
	    "a 200 container status with error_message is an answer, not an error");
	is_int(classify(502, NULL, why, sizeof(why)), 69, "a 502 HTML page from a proxy is 69");
	is_int(classify(200, NULL, why, sizeof(why)), 69, "a 200 that is not JSON is 69");
	is_int(classify(429, NULL, why, sizeof(why)), 75, "a bare 429 is 75");
	is_int(classify(404, "{}", why, sizeof(why)), 1, "a bare 404 is 1");

	th_config_set_base("http://127.0.0.1:8931");
	p = jv_object_set(jv_object(), jv_string("fields"), jv_string("id,text"));
	p = jv_object_set(p, jv_string("q"), jv_string("a b&c"));
	u = th_api_url("me/threads", p, why, sizeof(why));
	is_str(u, "http://127.0.0.1:8931/v1.0/me/threads?fields=id%2Ctext&q=a%20b%26c",
	    "Graph paths get /v1.0 and escaped parameters");
	free(u);
	u = th_api_url("/v1.0/me?fields=id", p, why, sizeof(why));
	is_str(u, "http://127.0.0.1:8931/v1.0/me?fields=id&fields=id%2Ctext&q=a%20b%26c",
	    "an explicit version is kept and parameters are appended with &");
	free(u);
	u = th_api_url("/refresh_access_token", jv_null(), why, sizeof(why));
	is_str(u, "http://127.0.0.1:8931/refresh_access_token", "token endpoints stay unversioned");
	free(u);
	u = th_api_url("http://127.0.0.1:8931/v1.0/me", jv_null(), why, sizeof(why));
	is_str(u, "http://127.0.0.1:8931/v1.0/me", "an absolute URL on the API origin is accepted");
	free(u);
	u = th_api_url("https://evil.example/v1.0/me", jv_null(), why, sizeof(why));
	ok(u == NULL, "an absolute URL elsewhere is refused (the token would go there)");
	u = th_api_url("http://127.0.0.1:89310/v1.0/me", jv_null(), why, sizeof(why));
	ok(u == NULL, "a longer port on the same host is another origin");
	u = th_api_url("me/../../etc", jv_null(), why, sizeof(why));
	ok(u == NULL, "dot-dot paths are refused");
	jv_free(p);

	ok(th_config_set_base("http://example.com") == 78,
	    "plain http to a non-loopback host is refused (78)");
	ok(th_config_set_base("http://localhost:1") == 0, "http to localhost is allowed");
	ok(th_config_set_base("https://graph.threads.net/v1.0") == 78,
	    "a base with a path is refused");
	ok(th_config_set_base("https://graph.threads.net/") == 0, "a trailing slash is fine");
	is_str(th_cfg.api_base, "https://graph.threads.net", "and is dropped");
	return done_testing();
}
