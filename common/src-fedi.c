/*
 * src-fedi: a fediverse account (ap.h) read as a feed source. Its
 * requests are anonymous fetches of the documents the account's reader
 * asks for; the fields asked for are kept here, as the Threads API keeps
 * them on its side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap.h"
#include "msg.h"
#include "src-fedi.h"

/* The most a Mastodon API page holds: what the feed's default page size
 * always came to here, whatever -n. */
#define FEDI_PAGESIZE	40

struct fedi {
	struct th_ap	*ap;		/* the account */
	char		*fields;	/* its records' fields, or NULL: all */
};

static void
fedifree(void *self)
{
	struct fedi *fd = self;

	th_ap_free(fd->ap);
	free(fd->fields);
	free(fd);
}

/* Is name one of fields ("id,text,children{media_url}")? */
static int
wanted(const char *fields, const char *name)
{
	size_t n = strlen(name), k;
	const char *p = fields;
	int depth;

	while (*p != '\0') {
		k = strcspn(p, ",{");
		if (k == n && strncmp(p, name, n) == 0)
			return 1;
		p += k;
		if (*p == '{') {	/* a nested selection: past its braces */
			for (depth = 0; *p != '\0'; p++) {
				if (*p == '{')
					depth++;
				else if (*p == '}' && --depth == 0) {
					p++;
					break;
				}
			}
		}
		if (*p == ',')
			p++;
	}
	return 0;
}

/* A page (consumed) with only the fields asked for, as the API does. */
static jv
pick(jv page, const char *fields)
{
	jv out = jv_array(), keys;

	jv_array_foreach(page, i, rec) {
		keys = jv_keys(jv_copy(rec));
		jv_array_foreach(keys, j, k) {
			if (!wanted(fields, jv_string_value(k)))
				rec = jv_object_delete(rec, jv_copy(k));
			jv_free(k);
		}
		jv_free(keys);
		out = jv_array_append(out, rec);
	}
	jv_free(page);
	return out;
}

static int
next(void *self, const struct th_src_window *w, struct th_src_req *r)
{
	struct fedi *fd = self;

	(void)w;	/* servers take no window: the feed applies it */
	return (r->url = th_ap_url(fd->ap, &r->accept)) != NULL;
}

static enum th_src_yield
answer(void *self, const struct th_api_res *res, struct th_src_answer *a)
{
	struct fedi *fd = self;
	const char *accept;
	char why[1024];
	enum th_ap_step st;
	jv posts;

	if (res->status != 0) {	/* no answer at all */
		a->status = res->status;
		a->detail = jv_copy(res->error);
		snprintf(a->why, sizeof(a->why), "skipped: %s", res->why);
		return TH_SRC_FAILED;
	}
	st = th_ap_answer(fd->ap, res, &posts, why, sizeof(why));
	if (st == TH_AP_FAIL) {
		jv_free(posts);
		a->status = th_ap_exit(fd->ap);
		snprintf(a->why, sizeof(a->why), "skipped: %s", why);
		return TH_SRC_FAILED;
	}
	snprintf(a->why, sizeof(a->why), "%s", why);	/* a warning, if any */
	if (st == TH_AP_MORE) {
		jv_free(posts);
		posts = jv_array();
	} else if (fd->fields != NULL)
		posts = pick(posts, fd->fields);
	a->records = posts;
	a->more = th_ap_url(fd->ap, &accept) != NULL;
	return TH_SRC_RECORDS;
}

static const struct th_source_ops ops = { next, answer, fedifree };

struct th_source
th_src_fedi(const char *source, const char *fields)
{
	struct fedi *fd;

	if ((fd = calloc(1, sizeof(*fd))) == NULL)
		th_die(TH_EIO, "out of memory");
	fd->ap = th_ap_new(source, FEDI_PAGESIZE, 0);
	fd->fields = th_strdup(fields);
	return (struct th_source){ &ops, fd, "fediverse", 1 };
}
