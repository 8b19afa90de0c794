/* http: every byte th sends goes through one libcurl multi handle. */
#ifndef TH_HTTP_H
#define TH_HTTP_H
#include <stddef.h>
#include <curl/curl.h>

#include "buf.h"

enum th_http_err {
	TH_HTTP_OK = 0,		/* a response arrived (any status) */
	TH_HTTP_ENET,		/* connect failed, reset, truncated */
	TH_HTTP_ETIMEOUT,	/* deadline or low-speed limit */
	TH_HTTP_ETOOBIG,	/* body over the cap */
	TH_HTTP_EREFUSED,	/* th refused to send it (token to another host) */
};

/*
 * One logical request, retried as a whole. The caller fills the first
 * block, th_http_submit() queues it, th_http_next() hands it back when it
 * is finished for good (after any retries); th_http_req_free() releases
 * what the engine allocated (the caller still owns url).
 */
struct th_http_req {
	const char	*method;	/* "GET", "POST", "DELETE" */
	char		*url;		/* absolute; caller's */
	const char	*body;		/* urlencoded form for POST, borrowed */
	const char	*token;		/* Bearer token or NULL, borrowed */
	int		 secret_url;	/* the URL holds a token: API origin only,
					 * wiped when freed */
	int		 retry_ok;	/* may be sent again (reads only) */
	const char	*accept;	/* Accept header; NULL: application/json */
	int		 fedi;		/* a fediverse read: no token, https
					 * only, or th_http_conf's fedi_connect */
	/* Is this finished attempt worth another? NULL: network errors and
	 * 5xx only. Consulted only when retry_ok is set. */
	int		(*transient)(struct th_http_req *);
	void		*udata;		/* the caller's */

	long		 status;	/* HTTP status, 0 without a response */
	char		*resp;		/* body, NUL-terminated; engine's */
	size_t		 len;
	enum th_http_err err;
	char		 errbuf[CURL_ERROR_SIZE];
	long		 retry_after;	/* seconds, -1 when the header is absent */
	char		*location;	/* the Location header, or NULL; engine's */
	int		 attempts;

	/* engine private */
	CURL		*easy;
	struct curl_slist *hdrs, *connect_to, *resolve;	/* the last two:
					 * fedi_connect's route, or NULL */
	long long	 not_before, deadline;	/* monotonic ms */
	struct th_http_req *next;
	struct th_buf	 rbody;		/* the body as it arrives; resp and
					 * len when the attempt ends */
};

/*
 * What http is told, once, before its first request: cli hands it the
 * configuration and -v after parsing the options. http reads no global;
 * until it is told, every request is refused.
 */
struct th_http_conf {
	const char	*api_base;	/* the API origin, scheme://host[:port]:
					 * the only place a token is sent; copied */
	long		 timeout;	/* deadline of a request, all attempts, s */
	long		 connect_timeout;	/* seconds */
	long		 low_speed_time;	/* abort below 1 byte/s this long, s */
	long		 retries;	/* extra attempts for reads */
	long		 backoff_ms;	/* first retry delay; doubles, capped */
	long		 max_body;	/* response body cap, bytes */
	const char	*fedi_connect;	/* loopback HOST:PORT every fediverse
					 * read goes to in plain http (the test
					 * sandbox), or NULL / "": https to the
					 * host itself; copied */
	const char	*ca_file;	/* a CA bundle trusted instead of the
					 * system's for every https request,
					 * or NULL / "". Test-only: config takes
					 * it for a loopback API only; copied */
	int		 verbose;	/* log every attempt on stderr, redacted */
};
/* Take c (copied; nothing of it is kept). Returns 0, or -1 when a string
 * is too long for it (the request that needs it is then refused). */
int th_http_configure(const struct th_http_conf *c);

/* Queue r. The token, if any, is only ever sent to the configured API
 * origin; anything else is refused (TH_HTTP_EREFUSED). */
void th_http_submit(struct th_http_req *r);
/* Run transfers until one request is finished; NULL when none is queued. */
struct th_http_req *th_http_next(void);
/* Submit r and run until it is finished (no other request in flight). */
void th_http_do(struct th_http_req *r);
void th_http_req_free(struct th_http_req *r);
/* Unit tests: every request is answered by fn, which sets status, resp
 * (malloc'd), len and err as a transfer would; nothing touches the
 * network. NULL restores it. */
typedef void th_http_fake(struct th_http_req *r);
void th_http_set_fake(th_http_fake *fn);
/* Connections to one host that cannot multiplex (HTTP/1.1): what th has
 * always opened, whatever -P says. */
#define TH_HTTP_H1_CONNS	8
/* At most n transfers at once (default 8): over HTTP/2 they are streams
 * of one connection; to an HTTP/1.1 host at most TH_HTTP_H1_CONNS of
 * them are on the wire, the others wait inside libcurl for a connection. */
void th_http_set_parallel(int n);
/* Release the multi handle and libcurl (registered with th_atexit()
 * when the handle is made). */
void th_http_cleanup(void);
/* Monotonic milliseconds. */
long long th_http_now(void);
/* Sleep ms milliseconds, whatever signals come. */
void th_http_sleep(long ms);
#endif
