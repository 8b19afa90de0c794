/*
 * permalink: the app shares a post as a URL, never as an id, and the API
 * has no look-up by URL or shortcode. So a permalink is resolved the
 * only way the API allows: by its shortcode among the posts of the user
 * it names, newest first, a bounded number of pages, so that an old or
 * mistyped link costs at most TH_PERMALINK_PAGES requests, never an
 * account's whole history.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "json.h"
#include "msg.h"
#include "permalink.h"

#define USERCH	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._"
#define CODECH	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

int
th_permalink_parse(const char *s, char *user, size_t usize, char *code,
    size_t csize)
{
	static const char *hosts[] = { "www.threads.com/", "threads.com/",
	    "www.threads.net/", "threads.net/" };
	size_t i, n, k;

	if (strncasecmp(s, "https://", 8) != 0)
		return 0;
	s += 8;
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strncasecmp(s, hosts[i], strlen(hosts[i])) == 0)
			break;
	if (i == sizeof(hosts) / sizeof(hosts[0]))
		return 0;
	s += strlen(hosts[i]);
	if (*s++ != '@')
		return 0;
	n = strspn(s, USERCH);
	if (n < 1 || n > 30 || n >= usize || strncmp(s + n, "/post/", 6) != 0)
		return 0;
	k = strspn(s + n + 6, CODECH);
	if (k < 1 || k >= csize || k > 31)
		return 0;
	/* what may follow: a slash, then a query string or a fragment */
	if (s[n + 6 + k] == '/')
		k++;
	if (s[n + 6 + k] != '\0' && s[n + 6 + k] != '?' && s[n + 6 + k] != '#')
		return 0;
	for (i = 0; i < n; i++)
		user[i] = (char)tolower((unsigned char)s[i]);
	user[n] = '\0';
	k = strspn(s + n + 6, CODECH);
	memcpy(code, s + n + 6, k);
	code[k] = '\0';
	return 1;
}

/* The token owner's username in buf, asked of /me once a process. */
static int
myname(char *buf, size_t size)
{
	static char me[64];
	struct th_api_res res;
	char *u;
	int rc;

	if (me[0] == '\0') {
		if ((rc = th_api_call("GET", "me", jv_object_set(jv_object(),
		    jv_string("fields"), jv_string("id,username")), &res)) != 0) {
			rc = th_api_report(&res, "whose posts a permalink names");
			th_api_res_free(&res);
			return rc;
		}
		u = th_jv_strdup(res.body, "username");
		th_api_res_free(&res);
		if (u == NULL)
			return th_msg(TH_EUNAVAIL, "/me: the answer has no username");
		for (size_t i = 0; u[i] != '\0'; i++)
			u[i] = (char)tolower((unsigned char)u[i]);
		strlcpy(me, u, sizeof(me));
		free(u);
	}
	strlcpy(buf, me, size);
	return 0;
}

/* What a scan of one listing found. */
struct scan {
	char	*found, *twice;	/* the ids with the shortcode (malloc'd) */
	long	 posts;		/* posts read */
	int	 pages;		/* pages read */
	int	 all;		/* the listing was read to its end */
};

/*
 * Look for the shortcode among the posts of one listing (params owned),
 * at most TH_PERMALINK_PAGES pages. Returns 0, or an exit status after a
 * message naming what (the permalink, or whose posts).
 */
static int
scan(const char *edge, jv params, const char *code, const char *what,
    struct scan *sc)
{
	struct th_pager pg;
	struct th_api_res res;
	char *c, *pid;
	int r, rc = 0;
	jv item;

	th_pager_init(&pg, edge, jv_object_set(jv_object_set(params,
	    jv_string("fields"), jv_string("id,shortcode")), jv_string("limit"),
	    jv_string("100")));
	for (;;) {
		/* the page where it was found is read to its end: a second
		 * post with the same shortcode there makes it ambiguous */
		if (pg.idx >= pg.n && (sc->found != NULL ||
		    pg.pages >= TH_PERMALINK_PAGES))
			break;
		if ((r = th_pager_next(&pg, &item, &res)) == -1) {
			rc = th_api_report(&res, what);
			th_api_res_free(&res);
			break;
		}
		if (r == 0)
			break;
		sc->posts++;
		c = th_jv_strdup(item, "shortcode");
		pid = th_jv_idstr(item, "id");
		jv_free(item);
		if (c != NULL && pid != NULL && strcmp(c, code) == 0 && th_isid(pid)) {
			if (sc->found == NULL) {
				sc->found = pid;
				pid = NULL;
			} else if (sc->twice == NULL && strcmp(sc->found, pid) != 0) {
				sc->twice = pid;
				pid = NULL;
			}
		}
		free(c);
		free(pid);
	}
	sc->pages += pg.pages;
	sc->all = pg.after == NULL || pg.last;
	th_pager_free(&pg);
	return rc;
}

int
th_permalink_id(const char *s, char *id, size_t size)
{
	struct scan sc = { NULL, NULL, 0, 0, 0 };
	char user[64], code[64], me[64], who[96];
	long posts;
	int rc, mine, all;

	if (th_isid(s)) {
		if (strlcpy(id, s, size) >= size)
			return th_msg(TH_EDATA, "'%s': too long for a post id", s);
		return 0;
	}
	if (!th_permalink_parse(s, user, sizeof(user), code, sizeof(code)))
		return -1;
	if ((rc = myname(me, sizeof(me))) != 0)
		return rc;
	mine = strcmp(me, user) == 0;
	snprintf(who, sizeof(who), mine ? "your" : "@%s's", user);
	if (mine) {
		/* yours: a post, else a reply (th-delete takes both) */
		if ((rc = scan("me/threads", jv_object(), code, s, &sc)) == 0 &&
		    sc.found == NULL) {
			posts = sc.posts;
			all = sc.all;
			rc = scan("me/replies", jv_object(), code, s, &sc);
			snprintf(who, sizeof(who), "your posts and the %ld newest of "
			    "your replies", sc.posts - posts);
			sc.posts = posts;
			sc.all = sc.all && all;
		}
	} else
		rc = scan("profile_posts", jv_object_set(jv_object(),
		    jv_string("username"), jv_string(user)), code, who, &sc);
	if (rc != 0)
		;
	else if (sc.twice != NULL)
		rc = th_msg(TH_EDATA, "%s: the shortcode %s names two of %s posts "
		    "(%s and %s): give the post's id instead", s, code, who,
		    sc.found, sc.twice);
	else if (sc.found == NULL)
		rc = th_msg(TH_EDATA, "%s: no post %s among the %ld newest of %s%s "
		    "(%s%d page%s read%s)", s, code, sc.posts, who, mine ? "" : " posts",
		    sc.all ? "all of them, " : "", sc.pages, sc.pages == 1 ? "" : "s",
		    sc.all ? "" : ", the most th reads for a permalink: give the "
		    "post's id instead");
	else if (strlcpy(id, sc.found, size) >= size)
		rc = th_msg(TH_EDATA, "%s: the post's id is too long", s);
	free(sc.found);
	free(sc.twice);
	return rc;
}

int
th_permalink_item(const char *item, jv rec, const char *what, char *id,
    size_t size)
{
	char *s = item != NULL ? th_strdup(item) : th_jv_idstr(rec, "id");
	int rc;

	if (s == NULL || (rc = th_permalink_id(s, id, size)) == -1)
		rc = th_msg(TH_EDATA, "'%s': not a %s id or permalink",
		    s != NULL ? s : "(a record without id)", what);
	free(s);
	return rc;
}
