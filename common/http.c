/*
 * http: one libcurl multi handle per process, so connections are reused
 * across requests and many sources can be read at once. Each request has
 * a deadline covering all of its attempts; reads that fail transiently
 * are tried again after a capped exponential backoff with jitter, or
 * after Retry-After when the server says so. Writes are sent once, on a
 * fresh connection: libcurl re-sends a request silently when a reused
 * connection turns out dead, which for a publish means a second post.
 *
 * Where a server speaks HTTP/2 (graph.threads.net does, over TLS), reads
 * are streams of one connection: a fan-out of fifty sources is one round
 * trip instead of seven on eight HTTP/1.1 connections. A read waits for
 * the first connection to a host to say whether it multiplexes rather
 * than opening another beside it. A stream lost with its connection
 * (GOAWAY, reset, a proxy restarted) is a network error like any other:
 * reads are tried again, writes are not.
 *
 * With -v every attempt is logged to stderr, redacted.
 *
 * It is told its settings (th_http_configure()) and reads no global: the
 * layers above decide what the configuration and the options say.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http.h"
#include "msg.h"
#include "secret.h"

#define BACKOFF_CAP_MS	30000
#define LOG_BODY_MAX	4096

static CURLM *multi;
static int maxpar = 8, inflight;
static struct th_http_req *pending;	/* waiting to (re)start */
static struct th_http_req *done;	/* finished, not yet handed back */
static th_http_fake *fake;		/* unit tests answer here */

/* What th_http_configure() was told; see struct th_http_conf. */
static struct {
	int	 told;		/* nothing is sent before */
	char	 api_base[256];
	long	 timeout, connect_timeout, low_speed_time;
	long	 retries, backoff_ms, max_body;
	char	 fedi_connect[64];
	char	 ca_file[PATH_MAX];
	int	 verbose;
} conf;

int
th_http_configure(const struct th_http_conf *c)
{
	const char *fc = c->fedi_connect ? c->fedi_connect : "";
	const char *ca = c->ca_file ? c->ca_file : "";

	conf.told = 0;
	if (strlcpy(conf.api_base, c->api_base, sizeof(conf.api_base)) >=
	    sizeof(conf.api_base) ||
	    strlcpy(conf.fedi_connect, fc, sizeof(conf.fedi_connect)) >=
	    sizeof(conf.fedi_connect) ||
	    strlcpy(conf.ca_file, ca, sizeof(conf.ca_file)) >=
	    sizeof(conf.ca_file))
		return -1;
	conf.timeout = c->timeout;
	conf.connect_timeout = c->connect_timeout;
	conf.low_speed_time = c->low_speed_time;
	conf.retries = c->retries;
	conf.backoff_ms = c->backoff_ms;
	conf.max_body = c->max_body;
	conf.verbose = c->verbose;
	conf.told = 1;
	return 0;
}

long long
th_http_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
th_http_sleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

void
th_http_set_fake(th_http_fake *fn)
{
	fake = fn;
}

/* The multi handle's bounds follow maxpar: no more streams on one
 * connection than requests th lets out, and no more HTTP/1.1 connections
 * to a host than it ever opened. */
static void
setbounds(void)
{
	if (multi == NULL)
		return;
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)(maxpar < TH_HTTP_H1_CONNS ? maxpar : TH_HTTP_H1_CONNS));
	curl_multi_setopt(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, (long)maxpar);
}

void
th_http_set_parallel(int n)
{
	maxpar = n > 0 ? n : 1;
	setbounds();
}

static void
vlog(const char *prefix, const char *s, size_t len)
{
	char *r;

	if (!conf.verbose)
		return;
	/* redact the whole, then cut: cut first, a token straddling the
	 * cut would be printed minus its tail */
	if ((r = th_redact(s, len)) == NULL)
		return;
	if (strlen(r) > LOG_BODY_MAX)
		fprintf(stderr, "%s%.*s [... %zu bytes]\n", prefix, LOG_BODY_MAX, r,
		    strlen(r) - LOG_BODY_MAX);
	else
		fprintf(stderr, "%s%s\n", prefix, r);
	free(r);
}

static size_t
onbody(char *data, size_t size, size_t nmemb, void *arg)
{
	struct th_http_req *r = arg;
	size_t n = size * nmemb;

	if (r->rbody.len + n > (size_t)conf.max_body) {
		r->err = TH_HTTP_ETOOBIG;
		return 0;	/* aborts the transfer */
	}
	/* out of memory aborts it too */
	return th_buf_add(&r->rbody, data, n) == 0 ? n : 0;
}

static size_t
onheader(char *data, size_t size, size_t nmemb, void *arg)
{
	struct th_http_req *r = arg;
	size_t n = size * nmemb;
	static const char ra[] = "retry-after:", loc[] = "location:";
	char buf[128], *e;
	size_t k;
	long v;

	if (r->fedi && n > sizeof(loc) - 1 && n < 4096 &&
	    strncasecmp(data, loc, sizeof(loc) - 1) == 0) {
		for (k = sizeof(loc) - 1; k < n && (data[k] == ' ' || data[k] == '\t'); k++)
			;
		while (n > k && (data[n - 1] == '\r' || data[n - 1] == '\n' ||
		    data[n - 1] == ' '))
			n--;
		free(r->location);
		r->location = strndup(data + k, n - k);
		return size * nmemb;
	}

	if (n > sizeof(ra) - 1 && n < sizeof(buf) &&
	    strncasecmp(data, ra, sizeof(ra) - 1) == 0) {
		memcpy(buf, data + sizeof(ra) - 1, n - (sizeof(ra) - 1));
		buf[n - (sizeof(ra) - 1)] = '\0';
		v = strtol(buf, &e, 10);
		if (e != buf && v >= 0)
			r->retry_after = v > 86400 ? 86400 : v;
		else {
			time_t t = curl_getdate(buf, NULL);
			if (t != -1)
				r->retry_after = t > time(NULL) ? t - time(NULL) : 0;
		}
	}
	return n;
}

/* Does url belong to the configured API origin? */
static int
sameorigin(const char *url)
{
	size_t n = strlen(conf.api_base);

	return strncmp(url, conf.api_base, n) == 0 &&
	    (url[n] == '/' || url[n] == '?' || url[n] == '\0');
}

static void
finish(struct th_http_req *r)
{
	struct th_http_req **pp = &done;

	while (*pp != NULL)
		pp = &(*pp)->next;
	r->next = NULL;
	*pp = r;
}

/* forgets what the last attempt received */
static void
dropanswer(struct th_http_req *r)
{
	free(r->resp);
	r->resp = NULL;
	th_buf_free(&r->rbody);
	r->len = 0;
	free(r->location);
	r->location = NULL;
}

/*
 * The way a fediverse read goes to the fedi_connect sandbox. libcurl
 * counts a host's connections by where it connects, not by the URL's
 * host: "connect to 127.0.0.1:PORT" for every read made ten servers one
 * host to it, sharing TH_HTTP_H1_CONNS connections between them, which
 * no real fediverse does. So each server is connected to by its own name
 * (at the sandbox's port), and that name resolved to the sandbox's
 * address: a host of its own to libcurl, as it is on the internet. A
 * sandbox named by a host name ("localhost") is connected to as before.
 */
static void
sandboxroute(struct th_http_req *r)
{
	char to[600], addr[64], *host = NULL;
	const char *port = strrchr(conf.fedi_connect, ':');
	CURLU *u;

	if ((u = curl_url()) != NULL &&
	    curl_url_set(u, CURLUPART_URL, r->url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    port != NULL && strchr(host, ':') == NULL &&
	    strlen(host) < 256 && (size_t)(port - conf.fedi_connect) <
	    sizeof(addr) && (conf.fedi_connect[0] == '[' ||
	    (conf.fedi_connect[0] >= '0' && conf.fedi_connect[0] <= '9'))) {
		memcpy(addr, conf.fedi_connect, (size_t)(port - conf.fedi_connect));
		addr[port - conf.fedi_connect] = '\0';
		snprintf(to, sizeof(to), "::%s%s", host, port);
		r->connect_to = curl_slist_append(NULL, to);
		snprintf(to, sizeof(to), "%s%s:%s", host, port, addr);
		r->resolve = curl_slist_append(NULL, to);
	} else {
		snprintf(to, sizeof(to), "::%s", conf.fedi_connect);
		r->connect_to = curl_slist_append(NULL, to);
	}
	curl_free(host);
	curl_url_cleanup(u);
}

static void
start(struct th_http_req *r)
{
	long long left = r->deadline - th_http_now();
	CURL *e;
	CURLMcode mc;

	if (r->easy == NULL) {
		if ((r->easy = curl_easy_init()) == NULL) {
			r->err = TH_HTTP_ENET;
			strlcpy(r->errbuf, "cannot create a transfer", sizeof(r->errbuf));
			finish(r);
			return;
		}
		if (r->token != NULL) {
			char *h = NULL;
			if (asprintf(&h, "Authorization: Bearer %s", r->token) != -1) {
				r->hdrs = curl_slist_append(r->hdrs, h);
				explicit_bzero(h, strlen(h));
				free(h);
			}
		}
		{
			char h[256];
			snprintf(h, sizeof(h), "Accept: %s",
			    r->accept ? r->accept : "application/json");
			r->hdrs = curl_slist_append(r->hdrs, h);
		}
		/* no "Expect: 100-continue" round trip on POST */
		r->hdrs = curl_slist_append(r->hdrs, "Expect:");
	}
	e = r->easy;
	curl_easy_reset(e);
	r->attempts++;
	r->status = 0;
	r->err = TH_HTTP_OK;
	r->errbuf[0] = '\0';
	r->retry_after = -1;
	dropanswer(r);
	if (left < 1)
		left = 1;

	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "th/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, conf.connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)left);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, conf.low_speed_time);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)conf.max_body);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, onbody);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, onheader);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	/* h2 where TLS offers it; plain http stays HTTP/1.1 */
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	if (conf.ca_file[0] != '\0')
		curl_easy_setopt(e, CURLOPT_CAINFO, conf.ca_file);
	/* Wait for a connection that may carry this as a stream. Not over
	 * plain http: it never multiplexes, and waiting would cost every
	 * request after the first a round trip. */
	if (strcmp(r->method, "GET") == 0 && strncmp(r->url, "https://", 8) == 0)
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	if (r->fedi && r->token == NULL) {
		/* redirects are the caller's to follow (ap.c), so that they
		 * stay https and go through the fedi_connect loopback too */
		if (conf.fedi_connect[0] != '\0') {
			if (r->connect_to == NULL)
				sandboxroute(r);
			curl_easy_setopt(e, CURLOPT_CONNECT_TO, r->connect_to);
			curl_easy_setopt(e, CURLOPT_RESOLVE, r->resolve);
		} else
			curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	}
	if (strcmp(r->method, "GET") != 0) {
		/* A write never rides a connection that may be dead already,
		 * as a stream of an HTTP/2 one no more than alone. */
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		if (strcmp(r->method, "POST") == 0) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
		} else
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
	}
	if (conf.verbose) {
		char line[64];
		snprintf(line, sizeof(line), "> %s ", r->method);
		vlog(line, r->url, strlen(r->url));
		if (r->token != NULL)
			vlog("> ", "Authorization: Bearer [REDACTED]", 32);
		if (r->body != NULL)
			vlog("> body: ", r->body, strlen(r->body));
	}
	if ((mc = curl_multi_add_handle(multi, e)) != CURLM_OK) {
		r->err = TH_HTTP_ENET;
		strlcpy(r->errbuf, curl_multi_strerror(mc), sizeof(r->errbuf));
		finish(r);
		return;
	}
	inflight++;
}

void
th_http_submit(struct th_http_req *r)
{
	struct th_http_req **pp;

	r->attempts = 0;
	r->retry_after = -1;
	r->not_before = 0;
	if (!conf.told) {	/* a program that skipped its start-up */
		r->err = TH_HTTP_EREFUSED;
		strlcpy(r->errbuf, "http has not been told its settings",
		    sizeof(r->errbuf));
		finish(r);
		return;
	}
	if (multi == NULL) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		if ((multi = curl_multi_init()) == NULL)
			th_die(TH_EUNAVAIL, "cannot initialise libcurl");
		curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
		setbounds();
		th_atexit(th_http_cleanup);
	}
	r->deadline = th_http_now() + conf.timeout * 1000;
	if ((r->token != NULL || r->secret_url) && !sameorigin(r->url)) {
		r->err = TH_HTTP_EREFUSED;
		strlcpy(r->errbuf, "refusing to send the token outside the API origin",
		    sizeof(r->errbuf));
		finish(r);
		return;
	}
	if (fake != NULL) {
		r->attempts = 1;
		fake(r);
		finish(r);
		return;
	}
	for (pp = &pending; *pp != NULL; pp = &(*pp)->next)
		;
	r->next = NULL;
	*pp = r;
}

static int
defaulttransient(struct th_http_req *r)
{
	return r->err == TH_HTTP_ENET || r->err == TH_HTTP_ETIMEOUT ||
	    r->status >= 500 || r->status == 429;
}

/* Milliseconds to wait before attempt n+1 (n >= 1). */
static long long
backoff(struct th_http_req *r)
{
	long long d = conf.backoff_ms;
	int i;

	for (i = 1; i < r->attempts && d < BACKOFF_CAP_MS; i++)
		d *= 2;
	if (d > BACKOFF_CAP_MS)
		d = BACKOFF_CAP_MS;
	/* "equal jitter": never less than half, spreads synchronized clients */
	d = d / 2 + arc4random_uniform((uint32_t)(d / 2 + 1));
	if (r->retry_after >= 0 && r->retry_after * 1000 > d)
		d = r->retry_after * 1000;
	return d;
}

static void
attemptdone(CURL *e, CURLcode cc)
{
	struct th_http_req *r = NULL, **pp;
	long long now, delay;
	double secs = 0;
	char line[160];

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
	curl_multi_remove_handle(multi, e);
	inflight--;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(e, CURLINFO_TOTAL_TIME, &secs);
	/* an empty body stays NULL: api parses resp only when there is one */
	r->len = r->rbody.len;
	if ((r->resp = r->rbody.len > 0 ? th_buf_take(&r->rbody) : NULL) == NULL)
		r->len = 0;
	th_buf_free(&r->rbody);
	if (cc != CURLE_OK && r->err == TH_HTTP_OK) {
		if (cc == CURLE_OPERATION_TIMEDOUT)
			r->err = TH_HTTP_ETIMEOUT;
		else if (cc == CURLE_FILESIZE_EXCEEDED)
			r->err = TH_HTTP_ETOOBIG;
		else
			r->err = TH_HTTP_ENET;
	}
	if (r->err == TH_HTTP_ETOOBIG)
		snprintf(r->errbuf, sizeof(r->errbuf),
		    "response body larger than %ld bytes", conf.max_body);
	if (r->errbuf[0] == '\0' && cc != CURLE_OK)
		strlcpy(r->errbuf, curl_easy_strerror(cc), sizeof(r->errbuf));
	if (r->err != TH_HTTP_OK)
		r->status = 0;	/* a half-read response is no response */
	if (conf.verbose) {
		if (r->err == TH_HTTP_OK) {
			snprintf(line, sizeof(line), "< %ld (%zu bytes, %.3fs)",
			    r->status, r->len, secs);
			vlog("", line, strlen(line));
			if (r->resp != NULL)
				vlog("< ", r->resp, r->len);
		} else
			vlog("< failed: ", r->errbuf, strlen(r->errbuf));
	}

	now = th_http_now();
	if (r->retry_ok && r->err != TH_HTTP_ETOOBIG &&
	    r->attempts <= conf.retries &&
	    (r->transient ? r->transient(r) : defaulttransient(r))) {
		delay = backoff(r);
		if (now + delay < r->deadline) {
			if (conf.verbose) {
				snprintf(line, sizeof(line),
				    "* transient failure, attempt %d of %ld in %lld ms",
				    r->attempts + 1, conf.retries + 1, delay);
				vlog("", line, strlen(line));
			}
			r->not_before = now + delay;
			for (pp = &pending; *pp != NULL; pp = &(*pp)->next)
				;
			r->next = NULL;
			*pp = r;
			return;
		}
	}
	finish(r);
}

struct th_http_req *
th_http_next(void)
{
	struct th_http_req *r, **pp;
	struct CURLMsg *m;
	long long now, wait;
	int running, left, ended;

	for (;;) {
		if (done != NULL) {
			r = done;
			done = r->next;
			r->next = NULL;
			return r;
		}
		now = th_http_now();
		wait = 1000;
		for (pp = &pending; *pp != NULL && inflight < maxpar; ) {
			r = *pp;
			if (r->not_before <= now) {
				*pp = r->next;
				start(r);
			} else {
				if (r->not_before - now < wait)
					wait = r->not_before - now;
				pp = &r->next;
			}
		}
		if (done != NULL)
			continue;
		if (inflight == 0 && pending == NULL)
			return NULL;
		if (inflight > 0) {
			curl_multi_perform(multi, &running);
			ended = 0;
			while ((m = curl_multi_info_read(multi, &left)) != NULL)
				if (m->msg == CURLMSG_DONE) {
					attemptdone(m->easy_handle, m->data.result);
					ended = 1;
				}
			/* an attempt that ended may be due again in a few ms:
			 * the wait above was reckoned without it, and polled
			 * a whole second before the retry went out */
			if (done != NULL || ended)
				continue;
			curl_multi_poll(multi, NULL, 0, (int)wait, NULL);
		} else
			th_http_sleep(wait);
	}
}

void
th_http_do(struct th_http_req *r)
{
	struct th_http_req *d;

	th_http_submit(r);
	while ((d = th_http_next()) != NULL && d != r)
		;
}

void
th_http_req_free(struct th_http_req *r)
{
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	r->easy = NULL;
	for (struct curl_slist *h = r->hdrs; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));	/* the token */
	curl_slist_free_all(r->hdrs);
	r->hdrs = NULL;
	curl_slist_free_all(r->connect_to);
	r->connect_to = NULL;
	curl_slist_free_all(r->resolve);
	r->resolve = NULL;
	dropanswer(r);
}

void
th_http_cleanup(void)
{
	if (multi != NULL) {
		curl_multi_cleanup(multi);
		multi = NULL;
		curl_global_cleanup();
	}
}
