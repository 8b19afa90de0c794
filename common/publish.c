/*
 * publish: a post or a thread goes out exactly once. Publishing is the
 * API's two steps, never auto_publish_text: create a container, record
 * it in the ledger, wait until it is FINISHED, publish it on a fresh
 * connection. A publish answered by anything but a post id is never
 * repeated blindly: the container's status settles it (PUBLISHED: the
 * post is found among the account's posts by its text; FINISHED: publish
 * again). With a key, a post published before is printed again with
 * "duplicate": true, from the ledger or, on a machine that has none, from
 * the account's own recent posts; a key is for one post, and the ledger
 * keeps digests of what it asked for to refuse it for another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "config.h"
#include "http.h"
#include "json.h"
#include "ledger.h"
#include "msg.h"
#include "out.h"
#include "post.h"
#include "publish.h"
#include "quota.h"
#include "store.h"
#include "upload.h"

/* One th_publish() call: what, how, and where its failure goes. */
struct run {
	struct th_post		*p;
	const struct th_pubopts	*o;
	struct th_fail		*f;
	const jv		*dg;		/* each part's th_post_digest() */
	char			 uid[32];	/* the account's: ledger records */
	long long		 start;		/* epoch seconds */
	char			 igstatus[16];	/* crossreshare_to_ig_status */
};

/* What is known of each part: from the ledger, then as it goes. */
struct state {
	struct th_parts	  pt;
	char		**pub;		/* the published id */
	char		**cont;		/* the last container the ledger has */
	jv		 *have;		/* a published part as read back */
	jv		 *dg;		/* what each part asks for (digests) */
	jv		 *was;		/* what the ledger says the key asked
					   for, part by part; null: not known */
	int		  more;		/* the key's parts in the ledger, when
					   it has more than pt.n; else 0 */
	int		  known;	/* the ledger knows the key */
	int		  recheck;	/* the part to look for once more just
					   before it is published, or -1 */
	int		  lockfd;	/* the key's lock, or -1 */
};

/* An API failure: reported with its detail. Returns its status. */
static int
apifail(struct run *r, struct th_api_res *res, const char *what)
{
	char why[1024];
	int rc;

	/* the one shape of an error line: th's words, then the API's */
	th_api_reason(res, why, sizeof(why));
	th_fail(r->f, res->status, "%s: %s", what, why);
	rc = res->status;
	th_api_res_free(res);
	return rc;
}

static const char *
errwords(const char *code)
{
	static const struct { const char *code, *words; } w[] = {
		{ "FAILED_DOWNLOADING_VIDEO", "Threads could not download the video "
		    "(is the URL public?)" },
		{ "FAILED_PROCESSING_AUDIO", "Threads could not process the audio" },
		{ "FAILED_PROCESSING_VIDEO", "Threads could not process the video" },
		{ "INVALID_ASPEC_RATIO", "the aspect ratio is not allowed (at most 10:1)" },
		{ "INVALID_BIT_RATE", "the bit rate is too high" },
		{ "INVALID_DURATION", "the video is too long or too short (up to 5 "
		    "minutes)" },
		{ "INVALID_FRAME_RATE", "the frame rate is not allowed (23 to 60 fps)" },
		{ "INVALID_AUDIO_CHANNELS", "the audio must be mono or stereo" },
		{ "INVALID_AUDIO_CHANNEL_LAYOUT", "the audio channel layout is not "
		    "allowed" },
		{ "UNKNOWN", "unknown error (often: Threads could not fetch the media "
		    "URL)" },
	};
	size_t i;

	for (i = 0; code != NULL && i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(code, w[i].code) == 0)
			return w[i].words;
	return "no reason given";
}

enum cstate { C_IN_PROGRESS, C_FINISHED, C_PUBLISHED, C_ERROR, C_EXPIRED, C_GONE };

/* The container's status. Returns 0 with *st (and *em, malloc'd, for
 * ERROR), or the exit status of a failed read (reported). */
static int
cstatus(struct run *r, const char *cid, enum cstate *st, char **em)
{
	struct th_api_res res;
	char *s;
	char what[96];

	if (em != NULL)
		*em = NULL;
	if (th_api_call("GET", cid, jv_object_set(jv_object(), jv_string("fields"),
	    jv_string("id,status,error_message")), &res) != 0) {
		if (res.status == TH_EFAIL) {	/* no such container */
			th_api_res_free(&res);
			*st = C_GONE;
			return 0;
		}
		snprintf(what, sizeof(what), "cannot read the status of container %s", cid);
		return apifail(r, &res, what);
	}
	s = th_jv_strdup(res.body, "status");
	if (s == NULL || strcmp(s, "IN_PROGRESS") == 0)
		*st = C_IN_PROGRESS;
	else if (strcmp(s, "FINISHED") == 0)
		*st = C_FINISHED;
	else if (strcmp(s, "PUBLISHED") == 0)
		*st = C_PUBLISHED;
	else if (strcmp(s, "EXPIRED") == 0)
		*st = C_EXPIRED;
	else
		*st = C_ERROR;
	if (*st == C_ERROR && em != NULL)
		*em = th_jv_strdup(res.body, "error_message");
	free(s);
	th_api_res_free(&res);
	return 0;
}

/*
 * Wait until the container is FINISHED. Returns 0, -1 when it turns out
 * PUBLISHED already, or an exit status: 1 (ERROR, EXPIRED, gone), 75
 * (--wait-timeout passed), or that of a failed read.
 */
static int
waitc(struct run *r, const char *cid, const char *what)
{
	long long start = th_http_now(), deadline = start + r->o->waittimeout * 1000LL;
	long ms = th_cfg.backoff_ms;
	enum cstate st;
	char *em;
	int rc, tty = isatty(STDERR_FILENO), shown = 0;

	for (;;) {
		if ((rc = cstatus(r, cid, &st, &em)) != 0)
			return rc;
		if (st != C_IN_PROGRESS)
			break;
		if (th_http_now() + ms > deadline) {
			if (shown)
				fputc('\n', stderr);
			return th_fail(r->f, TH_ETEMP, "%s: container %s still IN_PROGRESS after "
			    "%ld s (--wait-timeout); run again with the same --key to "
			    "resume", what, cid, r->o->waittimeout);
		}
		if (tty) {
			fprintf(stderr, "\rth-post: waiting for Threads to process %s: "
			    "%lld s ", what, (th_http_now() - start) / 1000);
			shown = 1;
		}
		th_http_sleep(ms);
		ms = ms * 2 > 10000 ? 10000 : ms * 2;
	}
	if (shown)
		fputc('\n', stderr);
	switch (st) {
	case C_FINISHED:
		return 0;
	case C_PUBLISHED:
		return -1;
	case C_ERROR:
		rc = th_fail(r->f, TH_EFAIL, "%s: Threads refused it: %s (%s)", what,
		    errwords(em), em ? em : "ERROR");
		free(em);
		return rc;
	case C_EXPIRED:
		return th_fail(r->f, TH_EFAIL, "%s: container %s expired (not published "
		    "within 24 h)", what, cid);
	default:
		return th_fail(r->f, TH_EFAIL, "%s: container %s does not exist", what, cid);
	}
}

/*
 * The Instagram Stories share's outcome, SUCCESS or FAILED: the docs
 * show it on the container's answer and say it is on the publish's, so
 * it is taken from either (borrows body).
 */
static void
igstatus(struct run *r, jv body)
{
	jv v;

	if (r->p->igstory == NULL || jv_get_kind(body) != JV_KIND_OBJECT)
		return;
	v = jv_object_get(jv_copy(body), jv_string("crossreshare_to_ig_status"));
	if (jv_get_kind(v) == JV_KIND_STRING)
		strlcpy(r->igstatus, jv_string_value(v), sizeof(r->igstatus));
	jv_free(v);
}

/* Create one container. params is consumed. A container whose answer is
 * lost is harmless (it is never published and expires), so creation is
 * tried again on an ambiguous failure. */
static int
create1(struct run *r, jv params, char **cid, const char *what)
{
	struct th_api_res res;
	char buf[128];
	int attempt;

	*cid = NULL;
	for (attempt = 1;; attempt++) {
		if (th_api_call("POST", "me/threads", jv_copy(params), &res) == 0) {
			*cid = th_jv_idstr(res.body, "id");
			igstatus(r, res.body);
			th_api_res_free(&res);
			if (*cid != NULL)
				break;
			if (attempt < 3)
				continue;
			jv_free(params);
			return th_fail(r->f, TH_EUNAVAIL, "%s: the answer has no container id",
			    what);
		}
		if (!th_api_lost(&res) || attempt >= 3) {
			jv_free(params);
			snprintf(buf, sizeof(buf), "cannot create %s", what);
			return apifail(r, &res, buf);
		}
		th_api_res_free(&res);
		th_http_sleep(th_cfg.backoff_ms * attempt);
	}
	jv_free(params);
	return 0;
}

/* Create part k's container (a carousel's children first, each FINISHED). */
static int
create(struct run *r, int k, const char *text, const char *target,
    char **cid)
{
	char *ids = NULL, *c, *nids, what[64];
	int i, rc;

	*cid = NULL;
	if (k == 0 && r->p->nm >= 2) {
		for (i = 0; i < r->p->nm; i++) {
			snprintf(what, sizeof(what), "carousel item %d", i + 1);
			if ((rc = create1(r, th_post_item(&r->p->m[i]), &c, what)) != 0)
				goto out;
			if ((rc = waitc(r, c, what)) > 0) {
				free(c);
				goto out;
			}
			if (asprintf(&nids, "%s%s%s", ids ? ids : "", ids ? "," : "", c) == -1)
				th_die(TH_EIO, "out of memory");
			free(ids);
			free(c);
			ids = nids;
		}
	}
	snprintf(what, sizeof(what), "the container of part %d", k + 1);
	rc = create1(r, th_post_params(r->p, k, text, target, ids), cid,
	    r->p->thread ? what : "the container");
out:
	free(ids);
	return rc;
}

/*
 * Find our own post with this text (and reply target), newest first,
 * published since `since`. Returns 0 with *id (and *hit, the post as
 * listed, when hit is not NULL), -1 when there is none, or the exit
 * status of a failed read.
 */
static int
findpost(struct run *r, const char *text, const char *target,
    long long since, char **id, jv *hit)
{
	struct th_pager pg;
	struct th_api_res res;
	char sbuf[32];
	char *t, *rid;
	jv item, rt;
	int rc, seen = 0, found = -1;

	*id = NULL;
	if (hit != NULL)
		*hit = jv_null();
	snprintf(sbuf, sizeof(sbuf), "%lld", since);
	/* the fields a key's post is told by (see apicheck()) */
	th_pager_init(&pg, target ? "me/replies" : "me/threads",
	    jv_object_set(jv_object_set(jv_object_set(jv_object(),
	    jv_string("fields"), jv_string(target ? "id,text,timestamp,permalink,"
	    "media_type,topic_tag,quoted_post,link_attachment_url,replied_to" :
	    "id,text,timestamp,permalink,media_type,topic_tag,quoted_post,"
	    "link_attachment_url")), jv_string("since"), jv_string(sbuf)),
	    jv_string("limit"), jv_string("100")));
	while (found == -1 && seen < 2000 && (rc = th_pager_next(&pg, &item, &res)) == 1) {
		seen++;
		t = th_jv_strdup(item, "text");
		rid = NULL;
		if (target != NULL) {
			rt = jv_object_get(jv_copy(item), jv_string("replied_to"));
			rid = th_jv_idstr(rt, "id");
			jv_free(rt);
		}
		if (strcmp(t ? t : "", text) == 0 &&
		    (target == NULL || (rid != NULL && strcmp(rid, target) == 0))) {
			*id = th_jv_idstr(item, "id");
			found = *id != NULL ? 0 : -1;
			if (found == 0 && hit != NULL)
				*hit = jv_copy(item);
		}
		free(t);
		free(rid);
		jv_free(item);
	}
	th_pager_free(&pg);
	if (found == -1 && rc == -1)
		return apifail(r, &res, "cannot read your recent posts");
	return found;
}

/* After a lost answer the container says PUBLISHED: find the post. The
 * API may list it a moment later, so look a few times. */
static int
settle(struct run *r, const char *cid, const char *text,
    const char *target, char **id)
{
	int i, rc = -1;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			th_http_sleep(th_cfg.backoff_ms << i);
		if ((rc = findpost(r, text, target, (long long)time(NULL) - r->o->window,
		    id, NULL)) != -1)
			break;
	}
	if (rc == -1)
		return th_fail(r->f, TH_EUNAVAIL, "container %s was published, but the post "
		    "is not among your recent posts yet: run again with the same "
		    "--key to settle it", cid);
	return rc;
}

/* publish(): the container stayed FINISHED but unpublishable (24/4279009)
 * for the whole budget; the caller may try a new container. */
#define PUB_STUCK	(-2)

/*
 * Publish a FINISHED container; never twice. After any answer that is not
 * a post id the container's status decides: PUBLISHED is success (the
 * API has published and answered 5xx code 10), FINISHED is another try
 * when the answer was lost, transient or 24/4279009 ("media not found",
 * common for many seconds after FINISHED), with backoff for r->o->pubtimeout
 * seconds; a refusal while it is still FINISHED is the error. Returns 0
 * with *id, PUB_STUCK, or an exit status.
 */
static int
publish(struct run *r, const char *cid, const char *text,
    const char *target, char **id)
{
	struct th_api_res res;
	enum cstate st;
	long long start = th_http_now(), deadline = start + r->o->pubtimeout * 1000LL;
	long ms = th_cfg.backoff_ms;
	char *em, why[512];
	int attempt, rc, notready, again, tty = isatty(STDERR_FILENO), shown = 0;

	*id = NULL;
	for (attempt = 1;; attempt++) {
		rc = th_api_call("POST", "me/threads_publish", jv_object_set(jv_object(),
		    jv_string("creation_id"), jv_string(cid)), &res);
		if (rc == 0 && (*id = th_jv_idstr(res.body, "id")) != NULL) {
			igstatus(r, res.body);
			th_api_res_free(&res);
			break;
		}
		notready = th_api_errcode(&res, "code") == 24 &&
		    th_api_errcode(&res, "error_subcode") == 4279009;
		again = rc == 0 || notready || th_api_lost(&res) ||
		    res.status == TH_EUNAVAIL ||
		    (th_api_errcode(&res, "code") == 100 &&
		    strstr(res.why, "already been published") != NULL);
		snprintf(why, sizeof(why), "%s", rc == 0 ? "no id in the answer" :
		    res.why);
		if (th_opts.verbose)
			th_msg(0, "publish of %s: %s: asking the container", cid, why);
		/* what happened is the container's to say, whatever the answer */
		if ((rc = cstatus(r, cid, &st, &em)) != 0) {
			th_api_res_free(&res);
			rc = th_fail(r->f, rc, "publishing container %s was answered '%s' and "
			    "its status cannot be read: run again with the same --key "
			    "to settle it", cid, why);
			break;
		}
		free(em);
		if (st == C_PUBLISHED) {
			th_api_res_free(&res);
			rc = settle(r, cid, text, target, id);
			break;
		}
		if (st == C_IN_PROGRESS) {
			th_api_res_free(&res);
			if ((rc = waitc(r, cid, "the post")) == -1) {
				rc = settle(r, cid, text, target, id);
				break;
			}
			if (rc != 0)
				break;
			continue;
		}
		if (st != C_FINISHED) {
			th_api_res_free(&res);
			rc = waitc(r, cid, "the post");	/* reports it */
			break;
		}
		if (!again) {		/* refused, and nothing was published */
			rc = apifail(r, &res, "cannot publish");
			break;
		}
		th_api_res_free(&res);
		if (th_http_now() + ms > deadline) {
			rc = notready ? PUB_STUCK : th_fail(r->f, TH_EUNAVAIL,
			    "container %s: publishing failed %d times in %lld s: %s",
			    cid, attempt, (th_http_now() - start) / 1000, why);
			break;
		}
		if (tty && notready) {
			fprintf(stderr, "\rth-post: Threads is not ready to publish "
			    "container %s yet (24/4279009): %lld s ", cid,
			    (th_http_now() - start) / 1000);
			shown = 1;
		}
		th_http_sleep(ms);
		ms = ms * 2 > 10000 ? 10000 : ms * 2;
	}
	if (shown)
		fputc('\n', stderr);
	return *id != NULL ? 0 : rc;
}

static int
ledger(struct run *r, int k, const char *event, const char *cid,
    const char *id)
{
	jv rec = jv_object();

	rec = th_jv_setstr(rec, "event", event);
	if (r->uid[0] != '\0')
		rec = th_jv_setstr(rec, "uid", r->uid);
	rec = th_jv_setstr(rec, "key", r->p->key);
	rec = jv_object_set(rec, jv_string("part"), jv_number(k));
	rec = th_jv_setstr(rec, "container", cid);
	rec = th_jv_setstr(rec, "id", id);
	/* what the key asked for: a key is for one post (see reused()) */
	if (r->p->key != NULL && r->dg != NULL)
		rec = jv_object_set(rec, jv_string("digest"), jv_copy(r->dg[k]));
	return th_ledger_append(rec);
}

/*
 * Read post id back as the API has it: 0 with *o (owned); 1 when it
 * does not exist any more (deleted, here or in the app); or the status of
 * a failed read, with *o just {id} after a warning. The fields of what p
 * asked for beyond the usual (a GIF, spoilers, a ghost post's expiry)
 * are asked only then.
 */
static int
readback(const struct th_post *p, const char *id, jv *o)
{
	struct th_api_res res;
	char fields[512];
	int rc;

	snprintf(fields, sizeof(fields), "id,media_product_type,media_type,"
	    "media_url,permalink,username,text,timestamp,shortcode,"
	    "is_quote_post,quoted_post,topic_tag,is_reply,replied_to,root_post,"
	    "link_attachment_url,poll_attachment,alt_text,children%s%s%s%s%s",
	    p->gif != NULL ? ",gif_url" : "", p->ents != NULL ? ",text_entities" :
	    "", p->ghost ? ",ghost_post_status,ghost_post_expiration_timestamp" : "",
	    p->location != NULL ? ",location_id" : "",
	    p->attach != NULL ? ",text_attachment" : "");
	rc = th_api_call("GET", id, jv_object_set(jv_object(), jv_string("fields"),
	    jv_string(fields)), &res);
	if (rc == 0 && jv_get_kind(res.body) == JV_KIND_OBJECT)
		*o = jv_copy(res.body);
	else if (rc == TH_EFAIL && th_api_errcode(&res, "code") == 100)
		rc = 1;
	else {
		th_msg(0, "post %s is published, but reading it back failed: %s",
		    id, res.why);
		rc = rc != 0 ? rc : TH_EUNAVAIL;
	}
	if (rc != 0)
		*o = jv_object_set(jv_object(), jv_string("id"), jv_string(id));
	th_api_res_free(&res);
	return rc;
}

/*
 * Print post id as read back; th adds "duplicate" (and "deleted"), and
 * crossreshare_to_ig_status on the post that was shared (ig: "" when
 * there is none or it is not known).
 */
static int
emit(const struct th_post *p, const char *id, int dup, const char *ig)
{
	jv o;

	readback(p, id, &o);
	if (dup)
		o = jv_object_set(o, jv_string("duplicate"), jv_true());
	if (ig[0] != '\0') {
		o = jv_object_set(o, jv_string("crossreshare_to_ig_status"),
		    jv_string(ig));
		if (strcmp(ig, "SUCCESS") != 0)
			th_msg(0, "post %s is published; sharing it to Instagram Stories "
			    "answered %s (is an Instagram account linked to this "
			    "profile?)", id, ig);
	}
	return th_out_emit(o);
}

/* The fields of a digest (th_post_digest()), in words. */
static const struct { const char *field, *words; } fields[] = {
	{ "text", "another text" }, { "media", "other media" },
	{ "reply_to", "another reply target" }, { "quote", "another quoted post" },
	{ "tag", "another topic tag" }, { "link", "another link attachment" },
	{ "poll", "another poll" }, { "attachment", "another text attachment" },
	{ "attachment_link", "another attachment link" },
	{ "attachment_style", "other attachment styles" },
	{ "location", "another location" },
	{ "ghost", "another ghost setting" }, { "gif", "another GIF" },
	{ "spoilers", "other text spoilers" },
	{ "instagram_story", "another Instagram Stories share" },
	{ "reply_control", "another reply control" },
	{ "reply_approvals", "another reply approval setting" },
	{ "countries", "other countries" },
};

/* The n words as "a", "a and b", "a, b and c". */
static void
join(char *buf, size_t size, const char **w, int n)
{
	size_t len;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", i == 0 ? "" : i == n - 1 ?
		    " and " : ", ", w[i]);
	}
}

/* What differs between two digests, in words (empty: nothing). */
static void
differ(jv was, jv now, char *buf, size_t size)
{
	const char *w[sizeof(fields) / sizeof(fields[0])];
	char *a, *b;
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		a = th_jv_strdup(was, fields[i].field);
		b = th_jv_strdup(now, fields[i].field);
		if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
			w[n++] = fields[i].words;
		free(a);
		free(b);
	}
	join(buf, size, w, n);
}

/* What a key made, in words: "post ID (permalink)", "post ID (deleted
 * since)", or "container CID (not published yet)"; have is post id as
 * read back (borrowed). */
static void
made(char *buf, size_t size, const char *id, jv have, const char *cid)
{
	char *link = th_jv_strdup(have, "permalink");
	jv d = th_jv_get(have, "deleted");

	if (id != NULL && jv_get_kind(d) == JV_KIND_TRUE)
		snprintf(buf, size, "post %s (deleted since)", id);
	else if (id != NULL && link != NULL)
		snprintf(buf, size, "post %s (%s)", id, link);
	else if (id != NULL)
		snprintf(buf, size, "post %s", id);
	else
		snprintf(buf, size, "container %s (not published yet)",
		    cid != NULL ? cid : "?");
	jv_free(d);
	free(link);
}

/* A key reused for another post: 65, naming the key, what it made and,
 * after how it was found, what differs. */
static int
refuse(struct run *r, int k, const char *id, jv have, const char *cid,
    const char *how, const char *what)
{
	char part[32] = "", where[600];

	if (r->p->thread)
		snprintf(part, sizeof(part), " as part %d", k + 1);
	made(where, sizeof(where), id, have, cid);
	return th_fail(r->f, TH_EDATA, "key '%s' already made %s%s%s with %s: "
	    "reuse a key only for the same post", r->p->key, where, part, how,
	    what);
}

/*
 * A key's post found among the account's posts by its text (and reply
 * target): is it the post asked for? What the listing shows of part 1 is
 * compared: the kind of media, the topic tag (in any case), the quoted
 * post and the link attachment. 0, or 65 with a message.
 */
static int
apicheck(struct run *r, int k, const char *id, jv hit)
{
	const struct th_post *p = r->p;
	const char *kind, *w[4];
	char *a, buf[256];
	int n = 0;
	jv q;

	if (k > 0)
		return 0;
	kind = p->nm == 0 ? "TEXT_POST" : p->nm >= 2 ? "CAROUSEL_ALBUM" :
	    p->m[0].video ? "VIDEO" : "IMAGE";
	if ((a = th_jv_strdup(hit, "media_type")) != NULL && strcmp(a, kind) != 0)
		w[n++] = "other media";
	free(a);
	a = th_jv_strdup(hit, "topic_tag");
	if ((a == NULL) != (p->tag == NULL) || (a != NULL && strcasecmp(a, p->tag) != 0))
		w[n++] = "another topic tag";
	free(a);
	q = th_jv_get(hit, "quoted_post");
	a = th_jv_idstr(q, "id");
	jv_free(q);
	if ((a == NULL) != (p->quote == NULL) || (a != NULL && strcmp(a, p->quote) != 0))
		w[n++] = "another quoted post";
	free(a);
	a = th_jv_strdup(hit, "link_attachment_url");
	if ((a == NULL) != (p->link == NULL) || (a != NULL && strcmp(a, p->link) != 0))
		w[n++] = "another link attachment";
	free(a);
	if (n == 0)
		return 0;
	join(buf, sizeof(buf), w, n);
	return refuse(r, k, id, hit, NULL, ", found by its text among your "
	    "recent posts,", buf);
}

/*
 * Container *cid is FINISHED but has answered 24/4279009 for the whole
 * budget; some never recover and only a new container works. Unless the
 * post turns out to exist after all, make one more (recorded in the
 * ledger, so that a resumed run takes it) and publish that. Returns 0
 * with *id (and *cid the container published), or an exit status: 75 when
 * the new one is stuck too.
 */
static int
renew(struct run *r, int k, const char *text, const char *target,
    char **cid, char **id)
{
	char *old = *cid, what[64];
	int rc;

	if (text[0] != '\0' &&
	    (rc = findpost(r, text, target, r->start - 60, id, NULL)) != -1)
		return rc;	/* 0: it was published after all */
	if (r->f->line > 0)
		th_msg(0, "line %ld: container %s is FINISHED but Threads still "
		    "answers 'media not found' (24/4279009) after %ld s: making a "
		    "new one", r->f->line, old, r->o->pubtimeout);
	else
		th_msg(0, "container %s is FINISHED but Threads still answers "
		    "'media not found' (24/4279009) after %ld s: making a new one",
		    old, r->o->pubtimeout);
	if ((rc = create(r, k, text, target, cid)) != 0) {
		*cid = old;
		return rc;
	}
	snprintf(what, sizeof(what), r->p->thread ? "part %d" : "the post", k + 1);
	if ((rc = ledger(r, k, "container", *cid, NULL)) == 0 &&
	    (rc = waitc(r, *cid, what)) == -1)
		rc = settle(r, *cid, text, target, id);
	else if (rc == 0)
		rc = publish(r, *cid, text, target, id);
	if (rc == PUB_STUCK)
		rc = th_fail(r->f, TH_ETEMP, "Threads answered 'media not found' "
		    "(24/4279009) for %ld s to each of two FINISHED containers (%s, "
		    "%s); nothing was posted: run again later with the same --key",
		    r->o->pubtimeout, old, *cid);
	free(old);
	return rc;
}

/*
 * One part: resume the container the ledger knows, or create one; wait;
 * publish; record. With recheck (a key this machine's ledger does not
 * know), the account's posts are looked at once more just before the
 * publish, after a random pause: a parallel runner of the same job that
 * published meanwhile is found, and *dup set.
 */
static int
onepart(struct run *r, int k, const char *text, const char *target,
    const char *resume, int recheck, char **id, int *dup)
{
	enum cstate st;
	char *cid = NULL, what[64];
	int rc;

	*id = NULL;
	*dup = 0;
	snprintf(what, sizeof(what), r->p->thread ? "part %d" : "the post", k + 1);
	if (resume != NULL) {
		if ((rc = cstatus(r, resume, &st, NULL)) != 0)
			return rc;
		if (st == C_PUBLISHED) {
			if ((rc = settle(r, resume, text, target, id)) == 0)
				rc = ledger(r, k, "published", resume, *id);
			return rc;
		}
		if (st == C_FINISHED || st == C_IN_PROGRESS)
			cid = th_strdup(resume);
	}
	if (cid == NULL) {
		if ((rc = create(r, k, text, target, &cid)) != 0)
			return rc;
		/* on disk before the publish request leaves */
		if ((rc = ledger(r, k, "container", cid, NULL)) != 0)
			goto out;
	}
	if ((rc = waitc(r, cid, what)) == -1)
		rc = settle(r, cid, text, target, id);
	else if (rc == 0 && recheck) {
		th_http_sleep(arc4random_uniform(2000));
		/* a twin run of the same job published meanwhile: its post
		 * stands for this one, whatever options it shows (a twin
		 * with other content under one key is not told apart) */
		if ((rc = findpost(r, text, target, (long long)time(NULL) - r->o->window,
		    id, NULL)) == 0) {
			*dup = 1;	/* the container is never published */
			rc = ledger(r, k, "published", NULL, *id);
			goto out;
		}
		if (rc == -1)
			rc = publish(r, cid, text, target, id);
	} else if (rc == 0)
		rc = publish(r, cid, text, target, id);
	if (rc == PUB_STUCK)
		rc = renew(r, k, text, target, &cid, id);
	if (rc == 0)
		rc = ledger(r, k, "published", cid, *id);
out:
	free(cid);
	return rc;
}

static long
numat(jv o, const char *k1, const char *k2)
{
	jv v = jv_object_get(jv_copy(o), jv_string(k1));
	long n = -1;

	if (k2 != NULL)
		v = jv_object_get(v, jv_string(k2));
	if (jv_get_kind(v) == JV_KIND_NUMBER)
		n = (long)th_jv_num(v);
	jv_free(v);
	return n;
}

/* Is there room for posts top-level posts and replies replies? 0 or 75.
 * The reply fields need threads_manage_replies, so they are asked only
 * for replies; a quota that cannot be read, for whatever reason, is a
 * warning and left to the publish to enforce. */
static int
quota(struct run *r, int posts, int replies)
{
	struct th_api_res res;
	char when[64];
	long used, total;
	int k, need;
	jv d;

	if (th_quota_read(1u << TH_QUOTA_POSTS |
	    (replies > 0 ? 1u << TH_QUOTA_REPLIES : 0), &d, &res) != 0) {
		th_msg(0, "warning: cannot check the publishing quota: %s", res.why);
		th_api_res_free(&res);
		return 0;
	}
	for (k = TH_QUOTA_POSTS; k <= TH_QUOTA_REPLIES; k++) {
		need = k == TH_QUOTA_POSTS ? posts : replies;
		th_quota_get(d, k, &used, &total);
		if (need == 0 || used < 0 || total < 0 || used + need <= total)
			continue;
		jv_free(d);
		th_quota_when(th_quota_freeat(k, used, r->uid), when, sizeof(when));
		return th_fail(r->f, TH_ETEMP, "publishing quota spent: %ld of %ld %s in "
		    "24 h used, %d needed; %s", used, total, th_quota_name(k), need,
		    when);
	}
	jv_free(d);
	return 0;
}

/* One request a dry run would send, as a record; params consumed. */
static int
dryreq(const char *path, jv params)
{
	jv o = jv_object_set(jv_object(), jv_string("dry_run"), jv_true());

	o = th_jv_setstr(o, "method", "POST");
	o = th_jv_setstr(o, "path", path);
	return th_out_emit(jv_object_set(o, jv_string("params"), params));
}

/* Print the parts out there already, as read back, with "duplicate":
 * true (and "deleted"); a dry run prints them the same way. */
static int
dups(struct state *s, int k)
{
	return th_out_emit(jv_object_set(jv_copy(s->have[k]), jv_string("duplicate"),
	    jv_true()));
}

/* Print the requests a run would send (there is no secret in them: the
 * token travels in a header); the parts out there already as a real run
 * prints them. */
static int
dry(struct run *r, struct state *s)
{
	char ph[64], prev[64];
	const char *target = r->p->reply_to;
	int i, k, rc;

	for (k = 0; k < s->pt.n; k++) {
		if (s->pub[k] != NULL) {
			if ((rc = dups(s, k)) != 0)
				return rc;
			snprintf(prev, sizeof(prev), "%s", s->pub[k]);
			target = prev;
			continue;
		}
		for (i = 0; k == 0 && r->p->nm >= 2 && i < r->p->nm; i++)
			if ((rc = dryreq("/v1.0/me/threads",
			    th_post_item(&r->p->m[i]))) != 0)
				return rc;
		if ((rc = dryreq("/v1.0/me/threads", th_post_params(r->p, k,
		    s->pt.text[k], target, r->p->nm >= 2 && k == 0 ?
		    "<carousel items>" : NULL))) != 0)
			return rc;
		snprintf(ph, sizeof(ph), "<container of part %d>", k + 1);
		if ((rc = dryreq("/v1.0/me/threads_publish", th_jv_setstr(jv_object(),
		    "creation_id", ph))) != 0)
			return rc;
		snprintf(prev, sizeof(prev), "<post of part %d>", k + 1);
		target = prev;
	}
	return 0;
}

/* Our user id, for the ledger: from the account file, else from /me. */
static int
whoami(struct run *r)
{
	int rc;

	if (r->uid[0] == '\0' && (rc = th_api_uid(r->uid, sizeof(r->uid))) != 0) {
		snprintf(r->f->why, sizeof(r->f->why), "cannot tell who you are");
		return r->f->status = rc;
	}
	return 0;
}


/* What the ledger knows of the key, under the key's lock (held until
 * the job is done, so that two runs with one key take turns). */
static int
recall(struct run *r, struct state *s)
{
	jv recs, d;
	char *ev;
	long part;

	if (!r->o->dryrun && (s->lockfd = th_ledger_keylock(r->uid,
	    r->p->key)) == -1)
		return r->f->status = TH_EIO;
	recs = th_ledger_find(r->uid, r->p->key);
	s->known = jv_array_length(jv_copy(recs)) > 0;
	jv_array_foreach(recs, i, e) {
		ev = th_jv_strdup(e, "event");
		part = numat(e, "part", NULL);
		/* what the key asked for, as the last record of the part
		 * says; records older than digests say nothing */
		d = th_jv_get(e, "digest");
		if (jv_get_kind(d) == JV_KIND_OBJECT && part >= s->pt.n &&
		    part < 1000 && part + 1 > s->more)
			s->more = (int)part + 1;
		if (jv_get_kind(d) == JV_KIND_OBJECT && part >= 0 && part < s->pt.n) {
			jv_free(s->was[part]);
			s->was[part] = d;
		} else
			jv_free(d);
		if (ev != NULL && part >= 0 && part < s->pt.n) {
			if (strcmp(ev, "published") == 0) {
				/* the last: a deleted post published again
				 * has two */
				free(s->pub[part]);
				s->pub[part] = th_jv_idstr(e, "id");
			} else if (strcmp(ev, "container") == 0) {
				free(s->cont[part]);
				s->cont[part] = th_jv_idstr(e, "container");
			}
		}
		free(ev);
		jv_free(e);
	}
	jv_free(recs);
	return 0;
}

/*
 * A key is for one post: the same key asking for another (another text,
 * media, reply target, ... part by part; a thread of fewer parts) is
 * refused with 65 before anything is sent, naming what the key made.
 * Parts the ledger recorded without a digest (by an earlier th) are not
 * compared.
 */
static int
reused(struct run *r, struct state *s)
{
	char what[512];
	int k, rc;
	jv have;

	what[0] = '\0';
	for (k = 0; k < s->pt.n; k++) {
		if (jv_get_kind(s->was[k]) != JV_KIND_OBJECT)
			continue;
		differ(s->was[k], s->dg[k], what, sizeof(what));
		if (what[0] != '\0')
			break;
	}
	if (k == s->pt.n && s->more == 0)
		return 0;
	have = jv_null();
	if (k == s->pt.n)
		k = 0;
	if (s->pub[k] != NULL && (rc = readback(r->p, s->pub[k], &have)) == 1)
		have = jv_object_set(have, jv_string("deleted"), jv_true());
	if (what[0] == '\0') {	/* the same parts, and more before */
		made(what, sizeof(what), s->pub[0], have, s->cont[0]);
		rc = th_fail(r->f, TH_EDATA, "key '%s' already made a thread of "
		    "%s%d parts, starting with %s; this one has %d: reuse a key "
		    "only for the same post", r->p->key, s->more > 1 ?
		    "at least " : "", s->more, what, s->pt.n);
	} else
		rc = refuse(r, k, s->pub[k], have, s->cont[k], "", what);
	jv_free(have);
	return rc;
}

/* What the key published, as it is now: a post deleted since (by
 * th-delete or in the app) is said so, and published again only with
 * --republish. */
static void
lookback(struct run *r, struct state *s)
{
	int k;

	for (k = 0; k < s->pt.n; k++) {
		if (s->pub[k] == NULL || readback(r->p, s->pub[k], &s->have[k]) != 1)
			continue;
		if (r->o->republish) {
			th_msg(0, "key %s: post %s was deleted: publishing it again "
			    "(--republish)", r->p->key, s->pub[k]);
			free(s->pub[k]);
			free(s->cont[k]);
			s->pub[k] = s->cont[k] = NULL;
			continue;
		}
		th_msg(0, "key %s: post %s was deleted; nothing is sent "
		    "(--republish publishes it again)", r->p->key, s->pub[k]);
		s->have[k] = jv_object_set(s->have[k], jv_string("deleted"),
		    jv_true());
	}
}

/*
 * A key this machine's ledger does not know (a fresh CI runner): its
 * parts are looked for among the account's posts of the last --window,
 * in order, by text and reply target, until one is not there; that one
 * is looked for once more just before it is published (s->recheck). A
 * post found must show what is asked (apicheck()). A dry run does the
 * same reads and writes nothing.
 */
static int
lookup(struct run *r, struct state *s)
{
	const char *target = r->p->reply_to, *text;
	char *id;
	int k, rc;
	jv hit;

	for (k = 0; k < s->pt.n; k++) {
		text = s->pt.text[k];
		if (text[0] == '\0')	/* a post without text is not found so */
			return 0;
		if ((rc = findpost(r, text, target, (long long)time(NULL) -
		    r->o->window, &id, &hit)) == -1) {
			s->recheck = k;
			return 0;
		}
		if (rc > 0)
			return rc;
		if ((rc = apicheck(r, k, id, hit)) == 0 && !r->o->dryrun)
			rc = ledger(r, k, "published", NULL, id);
		jv_free(hit);
		if (rc != 0) {
			free(id);
			return rc;
		}
		s->pub[k] = id;
		jv_free(s->have[k]);
		readback(r->p, id, &s->have[k]);
		target = id;
	}
	return 0;
}

/* Local media go to the uploader; the URLs it prints replace them. */
static int
uploads(struct run *r)
{
	char *url;
	int i, rc;

	for (i = 0; i < r->p->nm; i++) {
		if (th_post_isurl(r->p->m[i].url))
			continue;
		if ((rc = th_upload(th_cfg.upload_cmd, r->p->m[i].url, th_cfg.timeout,
		    &url, r->f)) != 0)
			return rc;
		free(r->p->m[i].url);
		r->p->m[i].url = url;
	}
	return 0;
}

/* Each part: printed as a duplicate when it is out there already, else
 * published; each printed, and the next replies to it. */
static int
parts(struct run *r, struct state *s)
{
	const char *target = r->p->reply_to;
	int k, rc, dup;
	char *id;

	for (k = 0; k < s->pt.n; k++) {
		if (s->pub[k] != NULL) {
			if ((rc = dups(s, k)) != 0)
				return rc;
			target = s->pub[k];
			continue;
		}
		id = NULL;
		if ((rc = onepart(r, k, s->pt.text[k], target, s->cont[k],
		    k == s->recheck, &id, &dup)) != 0) {
			free(id);
			return rc;
		}
		s->pub[k] = id;
		target = id;
		if ((rc = emit(r->p, id, dup, k == 0 ? r->igstatus : "")) != 0)
			return rc;
	}
	return 0;
}

/* How many posts and replies the parts not out yet will make. */
static void
needs(const struct run *r, const struct state *s, int *posts, int *replies)
{
	int k;

	*posts = *replies = 0;
	for (k = 0; k < s->pt.n; k++)
		if (s->pub[k] == NULL) {
			if (k == 0 && r->p->reply_to == NULL)
				(*posts)++;
			else
				(*replies)++;
		}
}

/* A dry run makes every read the run would make (who am I, the ledger,
 * the key's posts, the quota) and stops before the first write. */
static int
run(struct run *r, struct state *s)
{
	int k, rc, posts, replies;

	/* the ledger records whose posts they are (th-delete --last reads
	 * them back), so the user id is needed before anything is written */
	if ((r->p->key != NULL || !r->o->dryrun) && (rc = whoami(r)) != 0)
		return rc;
	if (r->p->key != NULL) {
		if ((rc = recall(r, s)) != 0 || (rc = reused(r, s)) != 0)
			return rc;
		lookback(r, s);
		if (!s->known && (rc = lookup(r, s)) != 0)
			return rc;
	}
	for (k = 0; k < s->pt.n && s->pub[k] != NULL; k++)
		;
	if (k == s->pt.n) {	/* all of it is out there already */
		for (k = 0, rc = 0; k < s->pt.n && rc == 0; k++)
			rc = dups(s, k);
		return rc;
	}
	needs(r, s, &posts, &replies);
	if ((rc = quota(r, posts, replies)) != 0)
		return rc;
	if (r->o->dryrun)
		return dry(r, s);
	if (s->pub[0] == NULL && (rc = uploads(r)) != 0)
		return rc;
	return parts(r, s);
}

#define PLACEFIELDS	"id,name,address,city,country,latitude,longitude,postal_code"

int
th_place_search(const char *s, jv *places, struct th_fail *f)
{
	struct th_api_res res;
	char lat[64], why[1024], *c;
	double la, lo;
	jv q, d, id;
	int rc;

	*places = jv_null();
	q = jv_object_set(jv_object(), jv_string("fields"), jv_string(PLACEFIELDS));
	switch (th_place_kind(s, &la, &lo)) {
	case TH_PLACE_BAD:
		jv_free(q);
		return th_fail(f, TH_EDATA, "place '%s': coordinates are LAT,LON with "
		    "latitude -90 to 90 and longitude -180 to 180", s);
	case TH_PLACE_COORDS:
		/* as typed, blanks aside: no rounding on the way */
		c = (char *)s + strspn(s, " ");
		snprintf(lat, sizeof(lat), "%.*s", (int)strcspn(c, ", "), c);
		c = strchr(c, ',') + 1;
		c += strspn(c, " ");
		q = th_jv_setstr(q, "latitude", lat);
		q = jv_object_set(q, jv_string("longitude"),
		    jv_string_sized(c, (int)strcspn(c, " ")));
		break;
	default:
		/* "q", as the guide, the sample app and Postman send it */
		q = th_jv_setstr(q, "q", s);
	}
	if (th_api_call("GET", "location_search", q, &res) != 0) {
		th_api_reason(&res, why, sizeof(why));
		rc = th_fail(f, res.status, "cannot search places: %s", why);
		th_api_res_free(&res);
		return rc;
	}
	d = th_jv_get(res.body, "data");
	th_api_res_free(&res);
	*places = jv_array();
	if (jv_get_kind(d) == JV_KIND_ARRAY)
		jv_array_foreach(d, i, pl) {
			if (jv_get_kind(pl) != JV_KIND_OBJECT ||
			    (c = th_jv_idstr(pl, "id")) == NULL) {
				jv_free(pl);
				continue;
			}
			id = jv_string(c);
			free(c);
			*places = jv_array_append(*places, jv_object_set(pl,
			    jv_string("id"), id));
		}
	jv_free(d);
	return 0;
}

int
th_place_resolve(struct th_post *p, struct th_fail *f)
{
	double la, lo;
	char *id = NULL, *name;
	int rc, n = 0, named = 0;
	jv places;

	if (p->location == NULL || th_place_kind(p->location, &la, &lo) == TH_PLACE_ID)
		return 0;
	if ((rc = th_place_search(p->location, &places, f)) != 0)
		return rc;
	jv_array_foreach(places, i, pl) {
		n++;
		name = th_jv_strdup(pl, "name");
		if (name != NULL && strcasecmp(name, p->location) == 0 && named++ == 0) {
			free(id);
			id = th_jv_strdup(pl, "id");
		} else if (n == 1 && named == 0)
			id = th_jv_strdup(pl, "id");
		free(name);
		jv_free(pl);
	}
	if (n == 1 || named == 1) {
		jv_free(places);
		free(p->location);
		p->location = id;
		return 0;
	}
	free(id);
	if (n == 0) {
		jv_free(places);
		return th_fail(f, TH_EDATA, "location '%s': no place found", p->location);
	}
	/* the candidates, for the user to pick an id from */
	rc = 0;
	jv_array_foreach(places, i, pl) {
		if (rc == 0)
			rc = th_out_emit(pl);
		else
			jv_free(pl);
	}
	jv_free(places);
	if (rc != 0)
		return rc;
	return th_fail(f, TH_EDATA, "location '%s': %d places match; give one's id "
	    "(the candidates are printed)", p->location, n);
}

int
th_publish(struct th_post *p, const struct th_pubopts *o, struct th_fail *f)
{
	struct run r;
	struct state s;
	int k, rc;

	memset(&r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	r.p = p;
	r.o = o;
	r.f = f;
	r.start = time(NULL);
	s.lockfd = -1;
	s.recheck = -1;
	/* the place before the digests: the key's request names the id */
	if ((rc = th_post_check(p, f)) != 0 || (rc = th_place_resolve(p, f)) != 0 ||
	    (rc = th_post_split(p, &s.pt, f)) != 0) {
		th_parts_free(&s.pt);
		return rc;
	}
	if ((s.pub = calloc((size_t)s.pt.n, sizeof(char *))) == NULL ||
	    (s.cont = calloc((size_t)s.pt.n, sizeof(char *))) == NULL ||
	    (s.have = calloc((size_t)s.pt.n, sizeof(jv))) == NULL ||
	    (s.dg = calloc((size_t)s.pt.n, sizeof(jv))) == NULL ||
	    (s.was = calloc((size_t)s.pt.n, sizeof(jv))) == NULL)
		th_die(TH_EIO, "out of memory");
	/* before the uploader replaces local paths: the request as given */
	for (k = 0; k < s.pt.n; k++) {
		s.have[k] = s.was[k] = jv_null();
		s.dg[k] = th_post_digest(p, k, s.pt.text[k]);
	}
	r.dg = s.dg;
	rc = run(&r, &s);
	if (s.lockfd != -1)
		th_store_unlock(s.lockfd);
	for (k = 0; k < s.pt.n; k++) {
		free(s.pub[k]);
		free(s.cont[k]);
		jv_free(s.have[k]);
		jv_free(s.dg[k]);
		jv_free(s.was[k]);
	}
	free(s.pub);
	free(s.cont);
	free(s.have);
	free(s.dg);
	free(s.was);
	th_parts_free(&s.pt);
	if (rc != 0 && f->status == 0)
		f->status = rc;
	return rc;
}
