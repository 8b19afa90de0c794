/* t-show: th-show's renderer (common/show.c) on records made here: the
 * header, relative and absolute times in the local zone or UTC, reposts,
 * colour, wrapping by columns, untrusted text made visible, records that
 * are not posts, and a whole input with a reply under its parent.
 * th-show's golden file covers the rest (tests/0500-verbs.t). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jv.h>

#include "buf.h"
#include "json.h"
#include "show.h"
#include "tap.h"

#define T0	1795165200LL	/* Fri 2026-11-20 09:00:00 UTC, 18:00 JST */

static char got[4096];

/* When t was, as o shows it, in time zone tz. */
static const char *
at(struct th_show *o, const char *tz, long long t)
{
	setenv("TZ", tz, 1);
	tzset();
	th_show_time(o, t, got, sizeof(got));
	return got;
}

/* rec (JSON text) rendered alone by o at depth. */
static const char *
one(const struct th_show *o, const char *json, int depth)
{
	struct th_buf b = TH_BUF_INIT;
	jv rec = th_json_parse(json, strlen(json));
	char *s;

	th_show_record(&b, o, rec, depth);
	jv_free(rec);
	s = th_buf_take(&b);
	strlcpy(got, s ? s : "(null)", sizeof(got));
	free(s);
	return got;
}

/* An NDJSON text rendered whole by o. */
static const char *
all(const struct th_show *o, const char *ndjson)
{
	jv recs = jv_array();
	const char *p, *e;
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	for (p = ndjson; *p != '\0'; p = e + 1) {
		e = strchr(p, '\n');
		recs = jv_array_append(recs, th_json_parse(p, (size_t)(e - p)));
	}
	ok(th_show_all(o, recs, f) == 0, "th_show_all writes it");
	fclose(f);
	jv_free(recs);
	strlcpy(got, s ? s : "(null)", sizeof(got));
	free(s);
	return got;
}

int
main(void)
{
	struct th_show o = { .width = 40, .relative = 1, .now = T0 + 125 };
	const char *post = "{\"id\": \"1\", \"username\": \"alice\", "
	    "\"timestamp\": \"2026-11-20T09:00:00+0000\", \"text\": \"hello world\", "
	    "\"permalink\": \"https://www.threads.net/@alice/post/A\"}";

	o.utf8 = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	ok(o.utf8, "the C.UTF-8 locale is there (wide characters need it)");
	setenv("TZ", "UTC", 1);
	tzset();

	is_str(one(&o, post, 0),
	    "@alice \xc2\xb7 09:00 (2m ago)\n"
	    "  hello world\n"
	    "  https://www.threads.net/@alice/post/A\n"
	    "\n", "a post: header with the time and how long ago, text, permalink, a blank line");
	is_str(one(&o, post, 1),
	    "  @alice \xc2\xb7 09:00 (2m ago)\n"
	    "    hello world\n"
	    "    https://www.threads.net/@alice/post/A\n"
	    "\n", "  at depth 1, two columns in");

	/* times: the local zone (TZ) or UTC, the time of day always */
	o.now = T0 + 3 * 86400;
	is_str(at(&o, "UTC", T0), "Fri 09:00 (3d ago)",
	    "3 days ago: the day, the time of day and how long ago");
	is_str(at(&o, "Asia/Tokyo", T0), "Fri 18:00 (3d ago)", "  in TZ's zone");
	o.utc = 1;
	is_str(at(&o, "Asia/Tokyo", T0), "Fri 09:00 UTC (3d ago)", "  utc: in UTC, said so");
	o.utc = 0;
	o.now = T0 + 30;
	is_str(at(&o, "Asia/Tokyo", T0), "18:00 (now)", "under a minute: now, with the time");
	o.now = T0 + 5 * 3600 + 59 * 60;
	is_str(at(&o, "Asia/Tokyo", T0), "18:00 (5h ago)",
	    "the same day where the reader is: the time of day alone");
	o.now = T0 + 7 * 3600;
	is_str(at(&o, "Asia/Tokyo", T0), "Fri 18:00 (7h ago)",
	    "  past midnight there: the day too");
	is_str(at(&o, "UTC", T0), "09:00 (7h ago)", "  not yet past it in UTC");
	o.now = T0 + 8 * 86400;
	is_str(at(&o, "Asia/Tokyo", T0), "2026-11-20 18:00",
	    "after a week: the date and the time");
	o.now = T0 - 3600;
	is_str(at(&o, "Asia/Tokyo", T0), "2026-11-20 18:00", "a time to come: the same");
	o.relative = 0;
	is_str(at(&o, "Asia/Tokyo", T0), "2026-11-20 18:00 JST",
	    "not on a terminal: date, time and the zone's name");
	o.utc = 1;
	is_str(at(&o, "Asia/Tokyo", T0), "2026-11-20 09:00 UTC", "  utc: in UTC");
	o.utc = 0;
	is_str(at(&o, "UTC", 0), "?", "no time: ?");
	is_str(at(&o, "UTC", 99999999999999999LL), "?",
	    "a year past int: ?, not what was in tm before");
	o.utc = 1;
	is_str(at(&o, "UTC", 99999999999999999LL), "?", "  in UTC too");
	o.utc = 0;
	ok(strncmp(one(&o, post, 0), "@alice \xc2\xb7 2026-11-20 09:00 UTC\n", 31) == 0,
	    "a post not on a terminal, TZ=UTC: date, time and zone, as before");

	o.colour = 1;
	is_str(one(&o, post, 0),
	    "\033[1m@alice\033[0m\033[2m \xc2\xb7 2026-11-20 09:00 UTC\033[0m\n"
	    "  hello world\n"
	    "  \033[2mhttps://www.threads.net/@alice/post/A\033[0m\n"
	    "\n", "colour: the name bold, the time and the link dim");
	o.colour = 0;

	is_str(one(&o, "{\"id\": \"2\", \"username\": \"evil\\u001b]0;x\\u0007\", "
	    "\"timestamp\": \"2026-11-20T09:00:00+0000\", "
	    "\"text\": \"red \\u001b[31mALERT \\u202egnp.exe\"}", 0),
	    "@evil^[]0;x^G \xc2\xb7 2026-11-20 09:00 UTC\n"
	    "  red ^[[31mALERT <U+202E>gnp.exe\n"
	    "\n", "escapes and a bidi override, in the name and the text, are shown as text");

	o.width = 20;
	is_str(one(&o, "{\"id\": \"3\", \"timestamp\": \"2026-11-20T09:00:00+0000\", "
	    "\"text\": \"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac"
	    "\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac"
	    "\xe8\xaa\x9e and more\"}", 0),
	    "@? \xc2\xb7 2026-11-20 09:00 UTC\n"
	    "  \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\n"
	    "  \xe6\x9c\xac\xe8\xaa\x9e and more\n"
	    "\n", "wide characters count two columns: ten fill a line (never under 20)");
	o.width = 40;

	is_str(one(&o, "{\"username\": \"bob\", \"name\": \"Bob\", \"is_verified\": true, "
	    "\"biography\": \"hi\", \"follower_count\": 12}", 0),
	    "@bob (Bob) verified\n  hi\n  followers 12\n\n", "a profile");
	is_str(one(&o, "{\"quota\": \"posts\", \"used\": 3, \"total\": 250}", 0),
	    "posts        3/250   used, 247 left\n", "a quota");
	is_str(one(&o, "{\"username\": \"bob\", \"valid\": true}", 0),
	    "username bob  valid true\n", "  a username alone is not a profile (th-auth status)");
	is_str(one(&o, "{\"username\": \"bob\", \"name\": \"Bob\", \"biography\": \"\"}", 0),
	    "@bob (Bob)\n\n", "  an empty biography: no line for it");
	is_str(one(&o, "{\"k\": 1, \"s\": \"v\\u0007\"}", 0), "k 1  s v^G\n",
	    "any other object: key value pairs");
	is_str(one(&o, "{\"account\": null, \"source\": \"TH_ACCESS_TOKEN\", "
	    "\"days_left\": 58, \"scopes\": [\"threads_basic\"]}", 0),
	    "account: null\nsource: TH_ACCESS_TOKEN\ndays_left: 58\nscopes: [\"threads_basic\"]\n\n",
	    "  wider than the width: one key: value a line, then a blank line");

	/* reposts: Threads sends reposted_post as {"id"} alone */
	is_str(one(&o, "{\"id\": \"5\", \"username\": \"bob\", \"media_type\": \"REPOST_FACADE\", "
	    "\"timestamp\": \"2026-11-20T09:00:00+0000\", \"reposted_post\": {\"id\": \"1\"}, "
	    "\"permalink\": \"https://www.threads.com/@bob/post/R\"}", 0),
	    "@bob reposted \xc2\xb7 2026-11-20 09:00 UTC\n"
	    "  [repost of 1]\n"
	    "  https://www.threads.com/@bob/post/R\n"
	    "\n", "a repost says it is one, and of which post");
	is_str(one(&o, "{\"id\": \"5\", \"username\": \"bob\", \"media_type\": \"REPOST_FACADE\", "
	    "\"timestamp\": \"2026-11-20T09:00:00+0000\", "
	    "\"reposted_post\": {\"id\": \"1\", \"username\": \"alice\", \"text\": \"hi\"}}", 0),
	    "@bob reposted @alice \xc2\xb7 2026-11-20 09:00 UTC\n"
	    "  hi\n"
	    "  [repost of 1]\n"
	    "\n", "  whose post and its text, when the record has them");
	is_str(one(&o, "{\"id\": \"5\", \"username\": \"bob@b.example\", "
	    "\"media_type\": \"REPOST_FACADE\", \"timestamp\": \"2026-11-20T09:00:00+0000\", "
	    "\"reposted_post\": {\"id\": \"https://x.example/users/dave/statuses/7\", "
	    "\"attributed_to\": \"https://x.example/users/dave\"}}", 0),
	    "@bob@b.example reposted @dave@x.example \xc2\xb7 2026-11-20 09:00 UTC\n"
	    "  [repost of https://x.example/users/dave/statuses/7]\n"
	    "\n", "  a fediverse boost: the author's actor URL as @user@host");
	is_str(one(&o, "{\"id\": \"5\", \"username\": \"bob@b.example\", "
	    "\"media_type\": \"REPOST_FACADE\", \"timestamp\": \"2026-11-20T09:00:00+0000\", "
	    "\"reposted_post\": {\"id\": \"9\", \"attributed_to\": \"dave@x.example\"}}", 0),
	    "@bob@b.example reposted @dave@x.example \xc2\xb7 2026-11-20 09:00 UTC\n"
	    "  [repost of 9]\n"
	    "\n", "  through Mastodon's API: user@host");
	is_str(all(&o,
	    "{\"id\": \"5\", \"username\": \"bob\", \"media_type\": \"REPOST_FACADE\", "
	    "\"timestamp\": \"2026-11-20T09:00:00+0000\", \"reposted_post\": {\"id\": \"1\"}}\n"
	    "{\"id\": \"1\", \"username\": \"alice\", \"timestamp\": \"2026-11-20T08:00:00+0000\", "
	    "\"text\": \"hi\"}\n"),
	    "@bob reposted @alice \xc2\xb7 2026-11-20 09:00 UTC\n"
	    "  [repost of 1]\n"
	    "\n"
	    "@alice \xc2\xb7 2026-11-20 08:00 UTC\n"
	    "  hi\n"
	    "\n", "  a whole input: named from the reposted post when it is there");
	is_str(one(&o, "[1, 2]", 0), "", "not an object: nothing");

	is_str(all(&o,
	    "{\"id\": \"9\", \"username\": \"b\", \"timestamp\": \"2026-11-20T09:00:00+0000\", "
	    "\"text\": \"reply\", \"replied_to\": {\"id\": \"8\"}}\n"
	    "{\"date\": \"2026-11-20\", \"views\": 1}\n"
	    "{\"date\": \"2026-11-21\", \"views\": 8}\n"
	    "{\"id\": \"8\", \"username\": \"a\", \"timestamp\": \"2026-11-20T09:00:00+0000\", "
	    "\"text\": \"parent\"}\n"),
	    "views 2026-11-20..2026-11-21 \xe2\x96\x81\xe2\x96\x88 min 1 max 8 total 9\n"
	    "@a \xc2\xb7 2026-11-20 09:00 UTC\n  parent\n\n"
	    "  @b \xc2\xb7 2026-11-20 09:00 UTC\n    reply\n\n",
	    "  a series as one sparkline; a reply before its parent, under it");
	o.utf8 = 0;
	is_str(all(&o, "{\"date\": \"2026-11-20\", \"views\": 1}\n"
	    "{\"date\": \"2026-11-21\", \"views\": 8}\n"),
	    "views 2026-11-20..2026-11-21 _# min 1 max 8 total 9\n",
	    "  not UTF-8: ASCII bars");

	/* th-stats --demographics: a run per breakdown, one table each */
	is_str(all(&o, "{\"breakdown\": \"age\", \"dimension\": \"18-24\", \"followers\": 10}\n"
	    "{\"breakdown\": \"age\", \"dimension\": \"65+\", \"followers\": 30}\n"
	    "{\"breakdown\": \"gender\", \"dimension\": null, \"followers\": 0}\n"),
	    "followers by age\n"
	    "  18-24      10  25.0% #######\n"
	    "  65+        30  75.0% ####################\n"
	    "followers by gender\n"
	    "  ?       0   0.0% \n",
	    "demographics: a table a breakdown, share and bar; a null dimension as ?");
	o.utf8 = 1;
	is_str(one(&o, "{\"breakdown\": \"city\", \"dimension\": \"\xe6\x9d\xb1\xe4\xba\xac\", "
	    "\"followers\": 4}", 0),
	    "followers by city\n"
	    "  \xe6\x9d\xb1\xe4\xba\xac       4 100.0% "
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\n",
	    "  alone, in UTF-8: block bars, a wide name counted by its columns");
	o.utf8 = 0;
	is_str(one(&o, "{\"breakdown\": \"age\", \"dimension\": \"18-24\", \"followers\": 1, "
	    "\"x\": 1}", 0), "breakdown: age\ndimension: 18-24\nfollowers: 1\nx: 1\n\n",
	    "  a record with more fields is no demographics record");
	return done_testing();
}
