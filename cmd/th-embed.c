/*
 * th-embed: the oEmbed record of posts named by permalink, for a page
 * that shows them (a static site built from cron).
 *
 *	th-embed [--maxwidth N] permalink ...   {permalink, type, html, ...}
 *
 * GET /oembed needs no token since 2026-03-03, and th-embed sends none:
 * it works without an account, and a token is never sent where it is
 * not needed. The endpoint allows 1,000 requests an hour; a rate-limited
 * answer is 75 and ends the run (th_cli_items), the next would fare no
 * better.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cli.h"
#include "json.h"
#include "out.h"
#include "permalink.h"

enum { OPT_MAXWIDTH = TH_OPT_VERB };

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "maxwidth",	required_argument,	NULL, OPT_MAXWIDTH },
	{ NULL, 0, NULL, 0 }
};

static const char *maxwidth;	/* checked, or NULL: the API's 658 */

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-embed [-v] [--maxwidth pixels] [--jq filter] permalink ...\n",
	    "      --maxwidth PIXELS   the embed at most PIXELS wide (320 to 658)\n");
}

/* No token: the oEmbed endpoint takes none, so none is looked up. */
static int
notoken(char **tok, char *uid, size_t size)
{
	*tok = NULL;
	if (size > 0)
		uid[0] = '\0';
	return 0;
}

static int
embed(const char *item, jv rec, void *arg)
{
	struct th_api_res res;
	char user[64], code[64], url[160], *s, *html;
	jv p, o;
	int rc;

	(void)arg;
	s = item != NULL ? strdup(item) : th_jv_strdup(rec, "permalink");
	if (s == NULL || !th_permalink_parse(s, user, sizeof(user), code,
	    sizeof(code))) {
		rc = th_msg(TH_EDATA, "'%s': not a post's permalink "
		    "(https://www.threads.com/@user/post/CODE)", s != NULL ? s :
		    "a record without permalink");
		free(s);
		return rc;
	}
	free(s);
	/* the form the docs give; a share link's query string is no part of it */
	snprintf(url, sizeof(url), "https://www.threads.com/@%s/post/%s/", user, code);
	p = jv_object_set(jv_object(), jv_string("url"), jv_string(url));
	if (maxwidth != NULL)
		p = jv_object_set(p, jv_string("maxwidth"), jv_string(maxwidth));
	if (th_api_call("GET", "oembed", p, &res) != 0) {
		rc = th_api_report(&res, url);
		th_api_res_free(&res);
		return rc;
	}
	if ((html = th_jv_strdup(res.body, "html")) == NULL) {
		th_api_res_free(&res);
		return th_msg(TH_EUNAVAIL, "%s: the oEmbed answer has no html", url);
	}
	free(html);
	/* permalink first: the API's answer does not say which post it is */
	o = jv_object_set(jv_object(), jv_string("permalink"), jv_string(url));
	jv_object_foreach(res.body, k, v)
		if (strcmp(jv_string_value(k), "permalink") != 0)
			o = jv_object_set(o, k, v);
		else {
			jv_free(k);
			jv_free(v);
		}
	th_api_res_free(&res);
	return th_out_emit(o);
}

int
main(int argc, char **argv)
{
	const char *errstr;
	int c;

	th_cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_MAXWIDTH:
			/* the API's range; refused here rather than by the API */
			strtonum(optarg, 320, 658, &errstr);
			if (errstr != NULL)
				th_die(TH_EUSAGE, "--maxwidth '%s': %s (320 to 658)",
				    optarg, errstr);
			maxwidth = optarg;
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	th_cli_ready();
	th_api_token_provider(notoken);
	th_exit(th_cli_items(argc, argv, embed, NULL));
}
