/*
 * ap-record: what fediverse servers say, as th's post records, so that
 * the same jq works on a Mastodon account and a Threads one: outbox
 * items (ActivityStreams) and Mastodon API statuses. The HTML of a post
 * becomes text through html.c; every other text field loses its control
 * characters the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap-record.h"
#include "html.h"
#include "json.h"
#include "msg.h"
#include "url.h"

char *
th_ap_ref(jv v)
{
	char *r;

	if (jv_get_kind(v) == JV_KIND_STRING)
		return th_strdup(jv_string_value(v));
	if (jv_get_kind(v) == JV_KIND_ARRAY) {	/* several Links: the first */
		r = NULL;
		jv_array_foreach(v, i, e) {
			if (r == NULL && jv_get_kind(e) != JV_KIND_ARRAY)
				r = th_ap_ref(e);
			jv_free(e);
		}
		return r;
	}
	if ((r = th_jv_strdup(v, "id")) == NULL)
		r = th_jv_strdup(v, "href");
	return r;
}

char *
th_ap_refget(jv o, const char *k)
{
	jv v = th_jv_get(o, k);
	char *r = th_ap_ref(v);

	jv_free(v);
	return r;
}

/* A string jv (consumed) through one of html.h's converters. */
static jv
convert(jv s, char *(*fn)(const char *, size_t))
{
	char *t;
	jv r;

	if ((t = fn(jv_string_value(s),
	    (size_t)jv_string_length_bytes(jv_copy(s)))) == NULL)
		th_die(TH_EIO, "out of memory");
	jv_free(s);
	r = jv_string(t);
	free(t);
	return r;
}

/* The text of HTML (a string jv, consumed), as a string jv. */
static jv
plain(jv html)
{
	if (jv_get_kind(html) != JV_KIND_STRING) {
		jv_free(html);
		return jv_null();
	}
	return convert(html, th_html_text);
}

/* A plain-text field (a string jv, consumed) without control characters,
 * as the HTML's text is; anything else as it is. */
static jv
clean(jv v)
{
	return jv_get_kind(v) == JV_KIND_STRING ? convert(v, th_html_plain) : v;
}

/* A Note's content: content, else the first of contentMap. Owned. */
static jv
content(jv note)
{
	jv c = th_jv_get(note, "content"), m;

	if (jv_get_kind(c) == JV_KIND_STRING)
		return c;
	jv_free(c);
	m = th_jv_get(note, "contentMap");
	c = jv_null();
	if (jv_get_kind(m) == JV_KIND_OBJECT) {
		int it = jv_object_iter(m);
		if (jv_object_iter_valid(m, it))
			c = jv_object_iter_value(m, it);
	}
	jv_free(m);
	return c;
}

/* A Note's url: a string, or among Links the text/html one. */
static char *
permalink(jv note)
{
	jv u = th_jv_get(note, "url");
	char *r = NULL, *mt;

	if (jv_get_kind(u) == JV_KIND_ARRAY) {
		jv_array_foreach(u, i, e) {
			if (r == NULL && jv_get_kind(e) == JV_KIND_OBJECT &&
			    (mt = th_jv_strdup(e, "mediaType")) != NULL) {
				if (strcmp(mt, "text/html") == 0)
					r = th_jv_strdup(e, "href");
				free(mt);
			}
			jv_free(e);
		}
		if (r == NULL && jv_array_length(jv_copy(u)) > 0) {
			jv e = jv_array_get(jv_copy(u), 0);
			r = th_ap_ref(e);
			jv_free(e);
		}
	} else
		r = th_ap_ref(u);
	jv_free(u);
	if (r == NULL || !th_url_https(r)) {
		free(r);
		r = th_jv_strdup(note, "id");
	}
	return r;
}

/* Attachments: media_type, media_url, media_urls, alt_text. */
static jv
media(jv rec, jv att, int rest)
{
	jv urls = jv_array();
	char *first = NULL, *alt = NULL, *kind = NULL, *u, *mt;
	int n = 0;

	if (jv_get_kind(att) == JV_KIND_OBJECT)
		att = jv_array_append(jv_array(), att);
	if (jv_get_kind(att) != JV_KIND_ARRAY) {
		jv_free(att);
		att = jv_array();
	}
	jv_array_foreach(att, i, e) {
		u = rest ? th_jv_strdup(e, "url") : th_ap_refget(e, "url");
		if (u != NULL) {
			urls = jv_array_append(urls, jv_string(u));
			if (n++ == 0) {
				first = th_strdup(u);
				alt = th_jv_strdup(e, rest ? "description" : "name");
				if (rest)
					kind = th_jv_strdup(e, "type");
				else if ((mt = th_jv_strdup(e, "mediaType")) != NULL)
					kind = mt;
				else
					kind = th_jv_strdup(e, "type");
			}
			free(u);
		}
		jv_free(e);
	}
	jv_free(att);
	if (n == 0) {
		jv_free(urls);
		return jv_object_set(rec, jv_string("media_type"), jv_string("TEXT_POST"));
	}
	rec = jv_object_set(rec, jv_string("media_type"), jv_string(n > 1 ?
	    "CAROUSEL_ALBUM" : kind && strncasecmp(kind, "video", 5) == 0 ? "VIDEO" :
	    kind && strncasecmp(kind, "gifv", 4) == 0 ? "VIDEO" :
	    kind && strncasecmp(kind, "audio", 5) == 0 ? "AUDIO" : "IMAGE"));
	rec = jv_object_set(rec, jv_string("media_url"), jv_string(first));
	rec = jv_object_set(rec, jv_string("media_urls"), urls);
	if (alt != NULL && *alt != '\0')
		rec = jv_object_set(rec, jv_string("alt_text"), clean(jv_string(alt)));
	free(first);
	free(alt);
	free(kind);
	return rec;
}

/* The first hashtag's name, without its '#'. */
static jv
topic(jv rec, jv tags, int rest)
{
	char *name = NULL, *type;

	if (jv_get_kind(tags) == JV_KIND_ARRAY) {
		jv_array_foreach(tags, i, e) {
			if (name == NULL) {
				type = rest ? NULL : th_jv_strdup(e, "type");
				if (rest || (type && strcmp(type, "Hashtag") == 0))
					name = th_jv_strdup(e, "name");
				free(type);
			}
			jv_free(e);
		}
	}
	jv_free(tags);
	if (name != NULL && name[name[0] == '#'] != '\0')
		rec = jv_object_set(rec, jv_string("topic_tag"),
		    jv_string(name + (name[0] == '#')));
	free(name);
	return rec;
}

static int
isposttype(const char *t)
{
	return t != NULL && (strcmp(t, "Note") == 0 || strcmp(t, "Article") == 0 ||
	    strcmp(t, "Page") == 0 || strcmp(t, "Question") == 0);
}

long long
th_ap_dated(jv o)
{
	long long t = th_jv_time(o, "published");

	return t >= 0 ? t : th_jv_time(o, "updated");
}

/* A Note (borrowed) as a record; ts is the fallback time (its Create's),
 * used when the Note has no published time of its own. */
static jv
note(jv o, const char *username, long long ts, enum th_ap_skip *why)
{
	char *id, *type, *link, *reply, when[32];
	jv rec, text, title, sum;
	long long t;

	type = th_jv_strdup(o, "type");
	*why = isposttype(type) ? TH_AP_SKIP_FOREIGN : TH_AP_SKIP_OTHER;
	if ((id = th_jv_strdup(o, "id")) == NULL || !isposttype(type)) {
		free(id);
		free(type);
		return jv_null();
	}
	if ((t = th_jv_time(o, "published")) < 0 && (t = ts) < 0)
		t = th_jv_time(o, "updated");
	if (t < 0) {
		*why = TH_AP_SKIP_NODATE;
		free(id);
		free(type);
		return jv_null();
	}
	th_time_format(t, when);
	rec = jv_object_set(jv_object(), jv_string("id"), jv_string(id));
	rec = jv_object_set(rec, jv_string("username"), jv_string(username));
	text = plain(content(o));
	/* an article's or a Lemmy post's title goes first */
	title = clean(th_jv_get(o, "name"));
	if (strcmp(type, "Note") != 0 && jv_get_kind(title) == JV_KIND_STRING &&
	    jv_string_length_bytes(jv_copy(title)) > 0) {
		if (jv_get_kind(text) == JV_KIND_STRING &&
		    jv_string_length_bytes(jv_copy(text)) > 0)
			text = jv_string_concat(jv_string_concat(jv_copy(title),
			    jv_string("\n\n")), text);
		else {
			jv_free(text);
			text = jv_copy(title);
		}
	}
	jv_free(title);
	if (jv_get_kind(text) == JV_KIND_STRING)
		rec = jv_object_set(rec, jv_string("text"), text);
	else
		jv_free(text);
	rec = jv_object_set(rec, jv_string("timestamp"), jv_string(when));
	if ((link = permalink(o)) != NULL)
		rec = jv_object_set(rec, jv_string("permalink"), jv_string(link));
	rec = media(rec, th_jv_get(o, "attachment"), 0);
	sum = plain(th_jv_get(o, "summary"));
	if (jv_get_kind(sum) == JV_KIND_STRING && jv_string_length_bytes(jv_copy(sum)) > 0)
		rec = jv_object_set(rec, jv_string("summary"), sum);
	else
		jv_free(sum);
	rec = topic(rec, th_jv_get(o, "tag"), 0);
	reply = th_ap_refget(o, "inReplyTo");
	rec = jv_object_set(rec, jv_string("is_reply"), jv_bool(reply != NULL));
	if (reply != NULL)
		rec = jv_object_set(rec, jv_string("replied_to"),
		    jv_object_set(jv_object(), jv_string("id"), jv_string(reply)));
	free(reply);
	free(link);
	free(type);
	free(id);
	return rec;
}

jv
th_ap_item(jv item, const char *username, long long ts, enum th_ap_skip *why)
{
	char *type, *id, *obj, when[32];
	jv o, rec, inner;
	long long t;
	enum th_ap_skip ignored;

	*why = TH_AP_SKIP_OTHER;
	if (jv_get_kind(item) != JV_KIND_OBJECT)
		return jv_null();	/* a bare link to an activity */
	type = th_jv_strdup(item, "type");
	if ((t = th_ap_dated(item)) < 0)
		t = ts;
	if (type != NULL && strcmp(type, "Create") == 0) {
		o = th_jv_get(item, "object");
		if (jv_get_kind(o) == JV_KIND_STRING) {
			*why = TH_AP_SKIP_BARE;
			rec = jv_null();
		} else
			rec = note(o, username, t, why);
		jv_free(o);
	} else if (type != NULL && strcmp(type, "Announce") == 0) {
		id = th_jv_strdup(item, "id");
		o = th_jv_get(item, "object");
		/* a Lemmy community announces whole activities: the post is
		 * the Create's object */
		if (jv_get_kind(o) == JV_KIND_OBJECT) {
			char *ot = th_jv_strdup(o, "type");
			if (ot != NULL && strcmp(ot, "Create") == 0) {
				jv inside = th_jv_get(o, "object");
				jv_free(o);
				o = inside;
			}
			free(ot);
		}
		obj = th_ap_ref(o);
		if (id == NULL || obj == NULL || t < 0) {
			*why = id == NULL || obj == NULL ? TH_AP_SKIP_FOREIGN : TH_AP_SKIP_NODATE;
			rec = jv_null();
		} else {
			th_time_format(t, when);
			rec = jv_object_set(jv_object(), jv_string("id"), jv_string(id));
			rec = jv_object_set(rec, jv_string("username"), jv_string(username));
			rec = jv_object_set(rec, jv_string("timestamp"), jv_string(when));
			rec = jv_object_set(rec, jv_string("permalink"), jv_string(obj));
			rec = jv_object_set(rec, jv_string("media_type"),
			    jv_string("REPOST_FACADE"));
			/* the boosted post when the server sent it along */
			inner = jv_get_kind(o) == JV_KIND_OBJECT ?
			    note(o, "", -1, &ignored) : jv_null();
			if (jv_get_kind(inner) == JV_KIND_OBJECT) {
				char *by = th_jv_strdup(o, "attributedTo");
				inner = jv_object_delete(inner, jv_string("username"));
				if (by != NULL)
					inner = jv_object_set(inner, jv_string("attributed_to"),
					    jv_string(by));
				free(by);
			} else {
				jv_free(inner);
				inner = jv_object_set(jv_object(), jv_string("id"), jv_string(obj));
			}
			rec = jv_object_set(rec, jv_string("reposted_post"), inner);
		}
		jv_free(o);
		free(id);
		free(obj);
	} else
		rec = note(item, username, t, why);	/* an object on its own */
	free(type);
	return rec;
}

jv
th_ap_record(jv item, const char *username)
{
	enum th_ap_skip why;

	return th_ap_item(item, username, -1, &why);
}

jv
th_ap_mastodon(jv st, const char *host, int own, enum th_ap_skip *why)
{
	char *id, *url, *acct, *user, *reply, *at, when[32];
	jv rec, acc, rb;
	long long t;
	enum th_ap_skip ignored;

	*why = TH_AP_SKIP_FOREIGN;
	if (jv_get_kind(st) != JV_KIND_OBJECT || (id = th_jv_strdup(st, "uri")) == NULL)
		return jv_null();
	if ((t = th_jv_time(st, "created_at")) < 0) {
		*why = TH_AP_SKIP_NODATE;
		free(id);
		return jv_null();
	}
	th_time_format(t, when);
	acc = th_jv_get(st, "account");
	acct = th_jv_strdup(acc, "acct");
	jv_free(acc);
	if (acct == NULL)
		acct = th_strdup("");
	if ((at = strchr(acct, '@')) == NULL && host != NULL) {
		if (asprintf(&user, "%s@%s", acct, host) == -1)
			th_die(TH_EIO, "out of memory");
	} else if (own && (at == NULL || host == NULL || strcasecmp(at + 1, host) != 0)) {
		*why = TH_AP_SKIP_FOREIGN;	/* another server's account */
		free(acct);
		free(id);
		return jv_null();
	} else
		user = th_strdup(acct);
	rec = jv_object_set(jv_object(), jv_string("id"), jv_string(id));
	rec = jv_object_set(rec, jv_string("username"), jv_string(user));
	rb = th_jv_get(st, "reblog");
	if (jv_get_kind(rb) == JV_KIND_OBJECT) {
		char *rid = th_jv_strdup(rb, "uri"), *rurl = th_jv_strdup(rb, "url");
		jv inner = th_ap_mastodon(rb, host, 0, &ignored);
		rec = jv_object_set(rec, jv_string("timestamp"), jv_string(when));
		rec = jv_object_set(rec, jv_string("permalink"),
		    jv_string(rurl ? rurl : rid ? rid : id));
		rec = jv_object_set(rec, jv_string("media_type"), jv_string("REPOST_FACADE"));
		if (jv_get_kind(inner) == JV_KIND_OBJECT) {
			jv by = jv_object_get(jv_copy(inner), jv_string("username"));
			inner = jv_object_delete(inner, jv_string("username"));
			inner = jv_object_set(inner, jv_string("attributed_to"), by);
			rec = jv_object_set(rec, jv_string("reposted_post"), inner);
		} else
			jv_free(inner);
		free(rid);
		free(rurl);
		jv_free(rb);
		goto out;
	}
	jv_free(rb);
	rec = jv_object_set(rec, jv_string("text"), plain(th_jv_get(st, "content")));
	rec = jv_object_set(rec, jv_string("timestamp"), jv_string(when));
	url = th_jv_strdup(st, "url");
	rec = jv_object_set(rec, jv_string("permalink"), jv_string(url && th_url_https(url) ?
	    url : id));
	free(url);
	rec = media(rec, th_jv_get(st, "media_attachments"), 1);
	{
		char *sp = th_jv_strdup(st, "spoiler_text");
		if (sp != NULL && *sp != '\0')
			rec = jv_object_set(rec, jv_string("summary"),
			    clean(jv_string(sp)));
		free(sp);
	}
	rec = topic(rec, th_jv_get(st, "tags"), 1);
	reply = th_jv_strdup(st, "in_reply_to_id");
	rec = jv_object_set(rec, jv_string("is_reply"), jv_bool(reply != NULL));
	free(reply);
out:
	free(acct);
	free(user);
	free(id);
	return rec;
}

jv
th_ap_status(jv st, const char *host)
{
	enum th_ap_skip why;

	return th_ap_mastodon(st, host, 1, &why);
}