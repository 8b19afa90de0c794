/*
 * th-post: publish to Threads, exactly once.
 *
 *	th-post [options] [text ...]
 *	th-post --batch [options] < records.ndjson
 *	th-post --intent [text ...]	the web page that posts it, no token
 *
 * Text comes from the operands, from standard input ("-", or no operand
 * and stdin not a terminal) or from -F FILE; with --batch, each NDJSON
 * record of standard input is one post, on top of the options. The rules
 * are checked before the first request (common/post.c) and the post goes
 * out through the publishing engine (common/publish.c): container,
 * ledger, wait, publish, any doubt settled by the container's status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "json.h"
#include "out.h"
#include "permalink.h"
#include "post.h"
#include "publish.h"


enum {
	OPT_VIDEO = TH_OPT_VERB, OPT_ALT, OPT_QUOTE, OPT_POLL, OPT_TAG,
	OPT_LINK, OPT_REPLY_CONTROL, OPT_SPOILER, OPT_LOCATION, OPT_COUNTRIES,
	OPT_THREAD, OPT_NUMBER, OPT_BATCH, OPT_WAIT_TIMEOUT, OPT_WINDOW,
	OPT_ATTACHMENT, OPT_REPUBLISH, OPT_GHOST, OPT_APPROVALS, OPT_GIF,
	OPT_INTENT, OPT_TSPOIL, OPT_ALINK, OPT_ASTYLE, OPT_IGSTORY
};

static const struct option longopts[] = {
	TH_CLI_LONGOPTS,
	{ "file",		required_argument,	NULL, 'F' },
	{ "dry-run",		no_argument,		NULL, 'n' },
	{ "reply-to",		required_argument,	NULL, 'r' },
	{ "key",		required_argument,	NULL, 'k' },
	{ "image",		required_argument,	NULL, 'i' },
	{ "video",		required_argument,	NULL, OPT_VIDEO },
	{ "alt",		required_argument,	NULL, OPT_ALT },
	{ "quote",		required_argument,	NULL, OPT_QUOTE },
	{ "poll",		required_argument,	NULL, OPT_POLL },
	{ "tag",		required_argument,	NULL, OPT_TAG },
	{ "link",		required_argument,	NULL, OPT_LINK },
	{ "reply-control",	required_argument,	NULL, OPT_REPLY_CONTROL },
	{ "spoiler",		no_argument,		NULL, OPT_SPOILER },
	{ "location",		required_argument,	NULL, OPT_LOCATION },
	{ "countries",		required_argument,	NULL, OPT_COUNTRIES },
	{ "thread",		no_argument,		NULL, OPT_THREAD },
	{ "number",		no_argument,		NULL, OPT_NUMBER },
	{ "batch",		no_argument,		NULL, OPT_BATCH },
	{ "wait-timeout",	required_argument,	NULL, OPT_WAIT_TIMEOUT },
	{ "window",		required_argument,	NULL, OPT_WINDOW },
	{ "attachment",		required_argument,	NULL, OPT_ATTACHMENT },
	{ "attachment-link",	required_argument,	NULL, OPT_ALINK },
	{ "attachment-style",	required_argument,	NULL, OPT_ASTYLE },
	{ "republish",		no_argument,		NULL, OPT_REPUBLISH },
	{ "ghost",		no_argument,		NULL, OPT_GHOST },
	{ "reply-approvals",	no_argument,		NULL, OPT_APPROVALS },
	{ "gif",		required_argument,	NULL, OPT_GIF },
	{ "intent",		no_argument,		NULL, OPT_INTENT },
	{ "text-spoilers",	no_argument,		NULL, OPT_TSPOIL },
	{ "instagram-story",	required_argument,	NULL, OPT_IGSTORY },
	{ NULL, 0, NULL, 0 }
};

static struct th_pubopts opts = {
	.waittimeout = 300, .pubtimeout = 60, .window = 7 * 86400
};
static int intent;	/* --intent: print the page that posts it */

static void
usage(int status)
{
	th_cli_usage(status,
	    "usage: th-post [-nv] [-a account] [-F file] [-k key] [-r id] [-i url]\n"
	    "               [--video url] [--alt text] [--quote id] [--poll 'A|B']\n"
	    "               [--tag topic] [--link url] [--reply-control value]\n"
	    "               [--spoiler] [--location place] [--countries CC,...]\n"
	    "               [--attachment file [--attachment-link url]\n"
	    "               [--attachment-style off+len=style,...]] [--thread [--number]]\n"
	    "               [--ghost] [--reply-approvals] [--gif id]\n"
	    "               [--text-spoilers] [--instagram-story light|dark]\n"
	    "               [--wait-timeout secs] [--window days] [--republish]\n"
	    "               [--jq filter]\n"
	    "               [text ... | -]\n"
	    "       th-post --batch [options] < records.ndjson\n"
	    "       th-post --intent [--link url] [--tag topic] [text ... | -]\n",
	    "  -F, --file FILE         read the text from FILE (-: stdin)\n"
	    "  -i, --image URL         an image; repeat for a carousel\n"
	    "      --video URL         a video; may be mixed with images in a carousel\n"
	    "      --alt TEXT          alt text of the image or video before it\n"
	    "  -r, --reply-to ID       reply to the post ID\n"
	    "      --quote ID          quote the post ID\n"
	    "      --poll A|B|...      a poll of 2 to 4 options (text posts only)\n"
	    "      --tag TOPIC         the post's topic tag\n"
	    "      --link URL          the link attachment (text posts only)\n"
	    "      --attachment FILE   attach the long text in FILE (-: stdin)\n"
	    "      --attachment-link URL\n"
	    "                          the attachment's link\n"
	    "      --attachment-style OFF+LEN=STYLE,...\n"
	    "                          bold, italic, highlight, underline, strikethrough\n"
	    "      --reply-control VALUE\n"
	    "                          who may reply (everyone, mentioned_only, ...)\n"
	    "      --spoiler           mark the media as a spoiler\n"
	    "      --text-spoilers     ||text|| in the text is a spoiler (\\| is a |)\n"
	    "      --gif ID            a GIPHY GIF, by id or URL (text posts only)\n"
	    "      --ghost             a ghost post: text only, archived after 24 h\n"
	    "      --reply-approvals   hold replies until you approve them\n"
	    "      --instagram-story light|dark\n"
	    "                          share the post to your Instagram Stories too\n"
	    "      --location PLACE    a location id, a place's name or LAT,LON\n"
	    "      --countries CC,...  show the post only in these countries (ISO 3166)\n"
	    "      --thread            split a long text into a reply chain\n"
	    "      --number            with --thread, append k/n to each part\n"
	    "      --batch             one post per NDJSON record on stdin\n"
	    "  -k, --key KEY           post at most once under KEY (ledger)\n"
	    "  -n, --dry-run           make the real run's reads; send nothing\n"
	    "      --wait-timeout TIME\n"
	    "                          how long to wait for Threads (default 300s)\n"
	    "      --window TIME       how far back to look for a key's post (default 7d)\n"
	    "      --republish         publish again a key whose post was deleted\n"
	    "      --intent            print the web page that posts it (no token)\n");
}

/* Print the post-intent URL of p, and the text it carries: no token, no
 * request. */
static int
intentof(struct th_post *p, struct th_fail *f)
{
	char *url;
	int rc;
	jv o = jv_object();

	if ((rc = th_post_intent(p, &url, f)) != 0) {
		jv_free(o);
		return rc;
	}
	if (p->text != NULL && p->text[0] != '\0')
		o = jv_object_set(o, jv_string("text"), jv_string(p->text));
	o = jv_object_set(o, jv_string("url"), jv_string(url));
	free(url);
	return th_out_emit(o);
}

/* One post per record of standard input; a line of JSON for each that
 * fails. The worst of 75, 77, 74 and 78 stops the batch (the next would
 * fare no better); other failures make it 1. */
static int
batch(const struct th_post *base)
{
	struct th_ndjson nd;
	struct th_post p;
	struct th_fail f;
	int rc, st, any = 0, n = 0;
	jv rec, o;

	th_ndjson_open(&nd, stdin, "stdin");
	while ((rc = th_ndjson_next(&nd, &rec)) != 0) {
		n++;
		th_post_copy(&p, base);
		memset(&f, 0, sizeof(f));
		f.line = nd.lineno;
		if (rc == TH_EDATA) {
			st = TH_EDATA;
			snprintf(f.why, sizeof(f.why), "%s", nd.why);
		} else {
			if ((st = th_post_fromrec(&p, rec, &f)) == 0)
				st = intent ? intentof(&p, &f) : th_publish(&p, &opts, &f);
			jv_free(rec);
		}
		th_post_free(&p);
		if (st == 0)
			continue;
		any = 1;
		o = jv_object_set(jv_object(), jv_string("line"), jv_number(nd.lineno));
		o = jv_object_set(o, jv_string("error"), jv_string(f.why));
		o = jv_object_set(o, jv_string("status"), jv_number(st));
		if (th_out_emit(o) == TH_EIO)
			st = TH_EIO;
		if (st == TH_ETEMP || st == TH_EAUTH || st == TH_EIO || st == TH_ECONFIG) {
			th_ndjson_close(&nd);
			return st;
		}
	}
	th_ndjson_close(&nd);
	if (n == 0)	/* cron and CI: never silently */
		return th_msg(0, "nothing to do: no records on stdin");
	return any ? TH_EFAIL : 0;
}

/* The options into p and opts; returns optind. */
static int
options(int argc, char **argv, struct th_post *p, const char **file,
    int *batchmode)
{
	int c;

	while ((c = getopt_long(argc, argv, TH_CLI_SHORTOPTS "F:nr:k:i:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'F':
			*file = optarg;
			break;
		case 'n':
			opts.dryrun = 1;
			break;
		case 'r':
			th_setstr(&p->reply_to, optarg);
			break;
		case 'k':
			th_setstr(&p->key, optarg);
			break;
		case 'i':
		case OPT_VIDEO:
			th_post_addmedia(p, optarg, c == OPT_VIDEO);
			break;
		case OPT_ALT:
			if (p->nm == 0)
				th_die(TH_EUSAGE, "--alt describes the --image or --video "
				    "before it");
			if (p->nm <= TH_POST_MAXMEDIA)
				th_setstr(&p->m[p->nm - 1].alt, optarg);
			break;
		case OPT_QUOTE:
			th_setstr(&p->quote, optarg);
			break;
		case OPT_POLL:
			th_setstr(&p->poll, optarg);
			break;
		case OPT_TAG:
			th_setstr(&p->tag, optarg);
			break;
		case OPT_LINK:
			th_setstr(&p->link, optarg);
			break;
		case OPT_REPLY_CONTROL:
			th_setstr(&p->rctl, optarg);
			break;
		case OPT_SPOILER:
			p->spoiler = 1;
			break;
		case OPT_LOCATION:
			th_setstr(&p->location, optarg);
			break;
		case OPT_COUNTRIES:
			th_setstr(&p->countries, optarg);
			break;
		case OPT_THREAD:
			p->thread = 1;
			break;
		case OPT_NUMBER:
			p->number = 1;
			break;
		case OPT_BATCH:
			*batchmode = 1;
			break;
		case OPT_WAIT_TIMEOUT:
			if ((opts.waittimeout = opts.pubtimeout =
			    th_duration(optarg, 1)) <= 0)
				th_die(TH_EUSAGE, "--wait-timeout '%s': seconds, or "
				    "N[smh]", optarg);
			break;
		case OPT_WINDOW:
			if ((opts.window = th_duration(optarg, 86400)) <= 0)
				th_die(TH_EUSAGE, "--window '%s': days, or N[smhd]", optarg);
			break;
		case OPT_REPUBLISH:
			opts.republish = 1;
			break;
		case OPT_GHOST:
			p->ghost = 1;
			break;
		case OPT_APPROVALS:
			p->approvals = 1;
			break;
		case OPT_GIF:
			th_setstr(&p->gif, optarg);
			break;
		case OPT_INTENT:
			intent = 1;
			break;
		case OPT_TSPOIL:
			p->tspoil = 1;
			break;
		case OPT_IGSTORY:
			th_setstr(&p->igstory, optarg);
			break;
		case OPT_ATTACHMENT:
			th_post_attachfile(p, optarg);
			break;
		case OPT_ALINK:
			th_setstr(&p->alink, optarg);
			break;
		case OPT_ASTYLE:
			th_post_addstyle(p, optarg);
			break;
		default:
			if (!th_cli_common(c, optarg))
				usage(TH_EUSAGE);
		}
	}
	return optind;
}

/* The text: -F file, standard input ("-", or no operand and not a
 * terminal), or the operands joined by spaces; NULL when there is none. */
static char *
readtext(int argc, char **argv, const char *file)
{
	char *text;
	size_t len;
	FILE *f;
	int i;

	if (file != NULL && argc > 0)
		th_die(TH_EUSAGE, "text from -F or from operands, not both");
	if (file != NULL || (argc == 1 && strcmp(argv[0], "-") == 0) ||
	    (argc == 0 && !isatty(STDIN_FILENO))) {
		if (file == NULL || strcmp(file, "-") == 0)
			f = stdin, file = "stdin";
		else if ((f = fopen(file, "r")) == NULL)
			th_die(TH_EDATA, "%s: %s", file, strerror(errno));
		if ((text = th_post_slurp(f, file)) == NULL)
			th_exit(TH_EDATA);
		if (f != stdin)
			fclose(f);
		return text;
	}
	if (argc == 0)
		return NULL;
	for (i = 0, len = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((text = calloc(1, len)) == NULL)
		th_die(TH_EIO, "out of memory");
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strlcat(text, " ", len);
		strlcat(text, argv[i], len);
	}
	return text;
}

/* A permalink given for --reply-to or --quote: the id it names, looked
 * up (reads only) before anything is sent. Anything else is left for
 * th_publish()'s checks to refuse. */
static void
resolve(char **s)
{
	char id[32];
	int rc;

	if (*s == NULL || th_isid(*s) ||
	    (rc = th_permalink_id(*s, id, sizeof(id))) == -1)
		return;
	if (rc != 0)
		th_exit(rc);
	free(*s);
	*s = th_strdup(id);
}

int
main(int argc, char **argv)
{
	struct th_post p;
	struct th_fail f;
	const char *file = NULL;
	int n, rc, batchmode = 0;

	memset(&p, 0, sizeof(p));
	memset(&f, 0, sizeof(f));
	th_cli_init(argc, argv, usage);
	n = options(argc, argv, &p, &file, &batchmode);
	argc -= n;
	argv += n;
	th_cli_ready();
	if (!intent) {	/* an intent takes permalinks as they are */
		resolve(&p.reply_to);
		resolve(&p.quote);
	}

	if (batchmode) {
		if (argc > 0 || file != NULL)
			th_die(TH_EUSAGE, "--batch reads its records from standard input");
		rc = batch(&p);
	} else {
		p.text = readtext(argc, argv, file);
		if (p.text == NULL && p.nm == 0 && p.link == NULL && p.attach == NULL)
			usage(TH_EUSAGE);	/* th-post alone at a terminal */
		rc = intent ? intentof(&p, &f) : th_publish(&p, &opts, &f);
	}
	th_post_free(&p);
	th_exit(rc);
}
