/* t-html: fediverse HTML as plain text, and ActivityPub items as records,
 * as th-timeline(1) documents them. */
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ap.h"
#include "html.h"
#include "json.h"
#include "tap.h"

static char got[8192];

static const char *
textn(const char *html, size_t n)
{
	char *t = th_html_text(html, n);

	strlcpy(got, t ? t : "(null)", sizeof(got));
	free(t);
	return got;
}

static const char *
text(const char *html)
{
	return textn(html, strlen(html));
}

/* th_ap_record() (status 0) or th_ap_status() of a JSON text, as
 * compact JSON. */
static const char *
convert(const char *json, int status)
{
	jv in = th_json_parse(json, strlen(json));
	char *s = th_json_dump(status ? th_ap_status(in, "m.example") :
	    th_ap_record(in, "alice@m.example"));

	jv_free(in);
	strlcpy(got, s ? s : "(null)", sizeof(got));
	free(s);
	return got;
}
#define rec(j)		convert((j), 0)
#define status(j)	convert((j), 1)

int
main(void)
{
	/* paragraphs and line breaks */
	is_str(text("<p>one</p><p>two</p>"), "one\n\ntwo", "paragraphs are separated by a blank line");
	is_str(text("a<br>b<br/>c<br />d"), "a\nb\nc\nd", "<br> in all its spellings is a newline");
	is_str(text("a<br><br>b"), "a\n\nb", "two <br> are a blank line");
	is_str(text("a<br><br><br><br>b"), "a\n\nb", "never more than one blank line");
	is_str(text("<p>a<br></p><p>b</p>"), "a\n\nb", "a <br> ending a paragraph adds nothing");
	is_str(text("<br><p>a</p><br>"), "a", "no breaks at either end");
	is_str(text("<P>Up</P><BR>case"), "Up\n\ncase", "tag names in any case");
	is_str(text("<div>a</div><blockquote>b</blockquote><h2>c</h2>"), "a\n\nb\n\nc", "block elements are paragraphs");
	is_str(text("<p>x</p><ul><li>a</li><li>b</li></ul><p>y</p>"), "x\n\n- a\n- b\n\ny", "list items are '- ' lines");

	/* whitespace */
	is_str(text("  a \n\t b  "), "a b", "whitespace runs are one space, none at the ends");
	is_str(text("<p> a </p> \n <p> b </p>"), "a\n\nb", "no spaces around paragraph breaks");
	is_str(text("a<br> b"), "a\nb", "no space at the start of a line");
	is_str(text("a <br>b"), "a\nb", "no space at the end of a line");
	is_str(text("<pre>x  y\n  z</pre>after"), "x  y\n  z\n\nafter", "<pre> keeps its whitespace");
	is_str(text("a&nbsp;&nbsp;b"), "a  b", "&nbsp; is a space that does not collapse");

	/* nested and unknown tags */
	is_str(text("<p><b>bold <i>and <u>nested</u></i></b> text</p>"), "bold and nested text", "nested inline tags keep their text");
	is_str(text("<span class=\"x\">a</span><custom-tag>b</custom-tag>"), "ab", "unknown tags are dropped, text kept");
	is_str(text("a<script>alert(1)</script>b<style>p{}</style>c"), "abc", "script and style are dropped whole");
	is_str(text("a<!-- <p>hidden</p> -->b"), "ab", "comments are dropped whole");
	is_str(text("<p title=\"a > b\">x</p>"), "x", "a '>' in a quoted attribute does not end the tag");
	is_str(text("1 < 2 and 3 <4"), "1 < 2 and 3 <4", "a '<' that starts no tag is text");
	is_str(text("text <p unterminated"), "text", "an unterminated tag is dropped");
	is_str(text("a</p>b"), "a\n\nb", "a stray end tag still breaks");
	is_str(text("<img src=\"x.png\" alt=\":blobcat:\"> hi"), ":blobcat: hi", "custom emoji images are their alt text");

	/* entities */
	is_str(text("&amp; &lt; &gt; &quot; &apos; &#39; &#x27;"), "& < > \" ' ' '", "the basic references");
	is_str(text("&hellip;&mdash;&rsquo;&euro;"), "\xe2\x80\xa6\xe2\x80\x94\xe2\x80\x99\xe2\x82\xac", "common named references");
	is_str(text("&#128512;&#x1F600;&#X1f600;"), "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", "numeric references, decimal and hex");
	is_str(text("&amp;amp; &AMP; &bogus; & x"), "&amp; &AMP; &bogus; & x", "decoded once; unknown names and lone '&' stay");
	is_str(text("&#0;&#xD800;&#x110000;&#99999999999;"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "non-characters are U+FFFD");
	is_str(text("&#65"), "A", "a numeric reference without ';'");
	is_str(textn("a\0b", 3), "a\xef\xbf\xbd" "b", "a NUL byte is U+FFFD, never the end of the text");

	/* control characters: never a terminal escape (issue 17) */
	is_str(text("a&#27;]0;owned&#7;b"), "a\xef\xbf\xbd]0;owned\xef\xbf\xbd" "b", "&#27; (ESC) and &#7; (BEL) are U+FFFD");
	is_str(text("&#x1b;[2J&#X1B;c"), "\xef\xbf\xbd[2J\xef\xbf\xbd" "c", "  in hex too");
	is_str(text("a\x1b[2Jb\x07"), "a\xef\xbf\xbd[2Jb\xef\xbf\xbd", "  and written as they are");
	is_str(text("&#x9b;2J&#155;\xc2\x9b&#127;\x7f"), "\xef\xbf\xbd" "2J\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "  C1 controls (CSI) and DEL, as references and as they are");
	is_str(text("&#13;&#11;&#12;x"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx", "  a carriage return, vertical tab and form feed by reference");
	is_str(text("<pre>a\fb\vc</pre>"), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c", "  inside <pre> as well");
	is_str(text("a&#10;b&#9;c"), "a\nb\tc", "newline and tab by reference stay");
	is_str(text("<img alt=\":x&#27;[31m:\"><a href=\"https://e.com/&#27;x\">t</a>"), ":x\xef\xbf\xbd[31m:t <https://e.com/\xef\xbf\xbdx>", "  nor from an alt text or an address");
	is_str(text("\xc2\xa0\xc2\x80"), "\xc2\xa0\xef\xbf\xbd", "U+00A0 stays; U+0080 is a control");
	is_str(text("\xe2\x80\xae\xe2\x80\x8f"), "\xe2\x80\xae\xe2\x80\x8f", "direction marks are not control characters: they pass");

	/* links */
	is_str(text("see <a href=\"https://ex.com/a\">this page</a>."), "see this page <https://ex.com/a>.", "a link with words gets its address");
	is_str(text("<a href=\"https://ex.com/a?x=1&amp;y=2\">q</a>"), "q <https://ex.com/a?x=1&y=2>", "references in the address are decoded");
	is_str(text("<a href=\"https://e.com/x\">https://e.com/x</a>"), "https://e.com/x", "a link that is its address appears once");
	is_str(text("<a href=\"https://www.e.com/x/\">e.com/x</a>"), "e.com/x", "scheme, www. and a trailing slash do not count");
	is_str(text("<a href=\"https://www.npr.org/2023/04/12/long\" rel=\"nofollow noopener\" target=\"_blank\"><span class=\"invisible\">https://www.</span><span class=\"ellipsis\">npr.org/2023/04/</span><span class=\"invisible\">12/long</span></a>"),
	    "https://www.npr.org/2023/04/12/long", "Mastodon's shortened link is the whole address");
	is_str(text("<a href=\"https://e.com/very/long/path\">e.com/very/lo\xe2\x80\xa6</a>"), "https://e.com/very/long/path", "a link cut with an ellipsis is the whole address");
	is_str(text("<span class=\"h-card\"><a href=\"https://m.example/@bob\" class=\"u-url mention\">@<span>bob</span></a></span> hi"), "@bob hi", "a mention is its text");
	is_str(text("<a href=\"https://m.example/tags/art\" class=\"mention hashtag\" rel=\"tag\">#<span>art</span></a>"), "#art", "a hashtag is its text");
	is_str(text("x <a href=\"https://e.com/\"></a> y"), "x https://e.com/ y", "an empty link is its address");
	is_str(text("<a href=\"mailto:a@b.example\">mail</a>"), "mail", "a non-web link is its text");
	is_str(text("<a href='https://e.com/q'>single</a>"), "single <https://e.com/q>", "single-quoted attributes");
	is_str(text("<a class=x href=https://e.com/u>bare</a>"), "bare <https://e.com/u>", "unquoted attributes");
	is_str(text("<a href=\"https://e.com/1\">one<a href=\"https://e.com/2\">two</a>"), "one <https://e.com/1>two <https://e.com/2>", "an unclosed link ends at the next");
	is_str(text("tail <a href=\"https://e.com/t\">words"), "tail words <https://e.com/t>", "a link open at the end still gets its address");

	is_str(text("<p>a <a href=\"mailto:x@y.example\"></a></p><p>b</p>"), "a\n\nb", "an empty link before a break leaves no space at the line's end (fuzz)");
	is_str(text("<a href=\"https://e.com/\n\n\nx \">t</a>"), "t <https://e.com/x>", "line breaks in an address are dropped, as browsers do (fuzz)");
	is_str(text("<a href=\"https://e.com/&#10;y\">t</a>"), "t <https://e.com/y>", "  also when written as references");

	is_str(text("<p><a href=\"https://e.com/1\">one</p><p>two<a href=\"https://e.com/2\">x</a></p>"), "one\n\ntwo <https://e.com/1>x <https://e.com/2>",
	    "a link left open across paragraphs: its address where it ends, no space at a line's start (fuzz)");
	is_str(text("<a href=\"https://e.com/long/path\">e.com/lo\xe2\x80\xa6<br></a>next"), "https://e.com/long/path\nnext", "  and a break inside a shortened link stays after it");

	/* UTF-8, emoji, right-to-left */
	is_str(text("<p>\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d <b>\xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d</b></p>"), "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d", "Hebrew passes through");
	is_str(text("<p>\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xe2\x80\x8f&rlm;!</p>"), "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xe2\x80\x8f\xe2\x80\x8f!", "Arabic and RLM marks pass through, &rlm; decoded");
	is_str(text("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb <b>\xf0\x9f\x8f\x89</b>"), "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb \xf0\x9f\x8f\x89", "emoji and ZWJ sequences pass through");
	is_str(text("\xe6\x97\xa5\xe6\x9c\xac<br>\xe8\xaa\x9e"), "\xe6\x97\xa5\xe6\x9c\xac\n\xe8\xaa\x9e", "CJK with a break");
	is_str(text(""), "", "empty content is empty text");

	/* records */
	is_str(rec("{\"type\":\"Create\",\"published\":\"2023-04-12T16:02:55Z\",\"object\":{\"id\":\"https://m.example/users/alice/statuses/1\",\"type\":\"Note\",\"summary\":null,\"inReplyTo\":null,\"published\":\"2023-04-12T16:02:55Z\",\"url\":\"https://m.example/@alice/1\",\"content\":\"<p>hi &amp; bye</p>\",\"attachment\":[],\"tag\":[]}}"),
	    "{\"id\":\"https://m.example/users/alice/statuses/1\",\"username\":\"alice@m.example\",\"text\":\"hi & bye\",\"timestamp\":\"2023-04-12T16:02:55+0000\",\"permalink\":\"https://m.example/@alice/1\",\"media_type\":\"TEXT_POST\",\"is_reply\":false}",
	    "a Create of a Note is a post record");
	is_str(rec("{\"id\":\"https://m.example/users/alice/statuses/2/activity\",\"type\":\"Announce\",\"published\":\"2023-04-11T15:09:36Z\",\"object\":\"https://o.example/users/b/statuses/9\"}"),
	    "{\"id\":\"https://m.example/users/alice/statuses/2/activity\",\"username\":\"alice@m.example\",\"timestamp\":\"2023-04-11T15:09:36+0000\",\"permalink\":\"https://o.example/users/b/statuses/9\",\"media_type\":\"REPOST_FACADE\",\"reposted_post\":{\"id\":\"https://o.example/users/b/statuses/9\"}}",
	    "an Announce is a repost of the URL");
	is_str(rec("{\"type\":\"Create\",\"object\":{\"id\":\"https://m.example/n/3\",\"type\":\"Note\",\"published\":\"2024-01-01T00:00:00.123+02:00\",\"inReplyTo\":{\"id\":\"https://x.example/n/1\"},\"url\":[{\"type\":\"Link\",\"mediaType\":\"application/x-threads\",\"href\":\"threads://post/X\"},{\"type\":\"Link\",\"mediaType\":\"text/html\",\"href\":\"https://www.threads.net/@a/post/X\"}],\"contentMap\":{\"de\":\"<p>hallo</p>\"},\"summary\":\"cw: <b>food</b>\",\"attachment\":[{\"type\":\"Document\",\"mediaType\":\"video/mp4\",\"url\":\"https://f.example/v.mp4\",\"name\":\"a clip\"}],\"tag\":[{\"type\":\"Mention\",\"name\":\"@x\"},{\"type\":\"Hashtag\",\"name\":\"#Ramen\"}]}}"),
	    "{\"id\":\"https://m.example/n/3\",\"username\":\"alice@m.example\",\"text\":\"hallo\",\"timestamp\":\"2023-12-31T22:00:00+0000\",\"permalink\":\"https://www.threads.net/@a/post/X\",\"media_type\":\"VIDEO\",\"media_url\":\"https://f.example/v.mp4\",\"media_urls\":[\"https://f.example/v.mp4\"],\"alt_text\":\"a clip\",\"summary\":\"cw: food\",\"topic_tag\":\"Ramen\",\"is_reply\":true,\"replied_to\":{\"id\":\"https://x.example/n/1\"}}",
	    "a reply with contentMap, Link urls, a video, a content warning and a tag");
	is_str(rec("{\"type\":\"Create\",\"object\":{\"id\":\"https://m.example/n/4\",\"type\":\"Note\",\"published\":\"2024-01-01T00:00:00Z\",\"content\":\"\",\"attachment\":[{\"type\":\"Image\",\"url\":\"https://f.example/1.jpg\"},{\"type\":\"Image\",\"url\":[{\"href\":\"https://f.example/2.jpg\"}]}]}}"),
	    "{\"id\":\"https://m.example/n/4\",\"username\":\"alice@m.example\",\"text\":\"\",\"timestamp\":\"2024-01-01T00:00:00+0000\",\"permalink\":\"https://m.example/n/4\",\"media_type\":\"CAROUSEL_ALBUM\",\"media_url\":\"https://f.example/1.jpg\",\"media_urls\":[\"https://f.example/1.jpg\",\"https://f.example/2.jpg\"],\"is_reply\":false}",
	    "two attachments are an album; no url: the id is the permalink");
	is_str(rec("{\"type\":\"Page\",\"id\":\"https://l.example/post/5\",\"name\":\"A title\",\"content\":\"<p>body</p>\",\"published\":\"2024-02-02T02:02:02Z\"}"),
	    "{\"id\":\"https://l.example/post/5\",\"username\":\"alice@m.example\",\"text\":\"A title\\n\\nbody\",\"timestamp\":\"2024-02-02T02:02:02+0000\",\"permalink\":\"https://l.example/post/5\",\"media_type\":\"TEXT_POST\",\"is_reply\":false}",
	    "a Lemmy Page: its title, then its body");
	is_str(rec("{\"id\":\"https://l.example/activities/announce/1\",\"type\":\"Announce\",\"published\":\"2024-03-03T03:03:03Z\",\"object\":{\"type\":\"Create\",\"id\":\"https://l.example/activities/create/9\",\"object\":{\"type\":\"Page\",\"id\":\"https://l.example/post/9\",\"attributedTo\":\"https://l.example/u/bo\",\"name\":\"News\",\"published\":\"2024-03-03T03:00:00Z\"}}}"),
	    "{\"id\":\"https://l.example/activities/announce/1\",\"username\":\"alice@m.example\",\"timestamp\":\"2024-03-03T03:03:03+0000\",\"permalink\":\"https://l.example/post/9\",\"media_type\":\"REPOST_FACADE\",\"reposted_post\":{\"id\":\"https://l.example/post/9\",\"text\":\"News\",\"timestamp\":\"2024-03-03T03:00:00+0000\",\"permalink\":\"https://l.example/post/9\",\"media_type\":\"TEXT_POST\",\"is_reply\":false,\"attributed_to\":\"https://l.example/u/bo\"}}",
	    "a Lemmy community's Announce of a Create: the post inside, whole");
	is_str(rec("{\"type\":\"Like\",\"id\":\"https://m.example/l/1\",\"object\":\"https://x/1\",\"published\":\"2024-01-01T00:00:00Z\"}"), "null", "a Like is not a post");
	is_str(rec("\"https://m.example/users/alice/statuses/7\""), "null", "a bare link is not fetched");
	is_str(rec("{\"type\":\"Create\",\"object\":{\"id\":\"https://m.example/n/6\",\"type\":\"Note\",\"content\":\"x\"}}"), "null", "a Note with no time is dropped, not misplaced");
	is_str(rec("{\"type\":\"Create\",\"published\":\"2024-01-01T00:00:00Z\",\"object\":{\"type\":\"Note\",\"content\":\"x\"}}"), "null", "a Note with no id is dropped");
	is_str(rec("{\"type\":\"Create\",\"object\":{\"id\":\"https://m.example/n/7\",\"type\":\"Note\",\"content\":\"x\",\"updated\":\"2024-05-05T05:05:05Z\"}}"),
	    "{\"id\":\"https://m.example/n/7\",\"username\":\"alice@m.example\",\"text\":\"x\",\"timestamp\":\"2024-05-05T05:05:05+0000\",\"permalink\":\"https://m.example/n/7\",\"media_type\":\"TEXT_POST\",\"is_reply\":false}",
	    "a Note dated by updated alone: that date");
	is_str(rec("{\"type\":\"Create\",\"published\":\"2024-06-06T06:06:06Z\",\"object\":{\"id\":\"https://m.example/n/8\",\"type\":\"Note\",\"content\":\"x\",\"updated\":\"2024-07-07T07:07:07Z\"}}"),
	    "{\"id\":\"https://m.example/n/8\",\"username\":\"alice@m.example\",\"text\":\"x\",\"timestamp\":\"2024-06-06T06:06:06+0000\",\"permalink\":\"https://m.example/n/8\",\"media_type\":\"TEXT_POST\",\"is_reply\":false}",
	    "  but its Create's published comes first");
	is_str(rec("{\"type\":\"Create\",\"published\":\"2024-01-01T00:00:00Z\",\"object\":[1,2]}"), "null", "an object that is not one is dropped");

	is_str(status("{\"id\":\"111\",\"uri\":\"https://m.example/users/carol/statuses/111\",\"url\":\"https://m.example/@carol/111\",\"created_at\":\"2026-11-25T11:00:00.000Z\",\"content\":\"<p>from <b>REST</b></p>\",\"spoiler_text\":\"\",\"in_reply_to_id\":null,\"reblog\":null,\"account\":{\"acct\":\"carol\"},\"media_attachments\":[{\"type\":\"image\",\"url\":\"https://f.example/c.png\",\"description\":\"chart\"}],\"tags\":[{\"name\":\"news\"}]}"),
	    "{\"id\":\"https://m.example/users/carol/statuses/111\",\"username\":\"carol@m.example\",\"text\":\"from REST\",\"timestamp\":\"2026-11-25T11:00:00+0000\",\"permalink\":\"https://m.example/@carol/111\",\"media_type\":\"IMAGE\",\"media_url\":\"https://f.example/c.png\",\"media_urls\":[\"https://f.example/c.png\"],\"alt_text\":\"chart\",\"topic_tag\":\"news\",\"is_reply\":false}",
	    "a Mastodon API status has the same record as its Note");
	is_str(status("{\"id\":\"112\",\"uri\":\"https://m.example/users/carol/statuses/112/activity\",\"created_at\":\"2026-11-25T12:00:00.000Z\",\"reblog\":{\"uri\":\"https://o.example/s/1\",\"url\":\"https://o.example/@d/1\",\"created_at\":\"2026-11-20T00:00:00.000Z\",\"content\":\"<p>orig</p>\",\"account\":{\"acct\":\"d@o.example\"}},\"account\":{\"acct\":\"carol\"}}"),
	    "{\"id\":\"https://m.example/users/carol/statuses/112/activity\",\"username\":\"carol@m.example\",\"timestamp\":\"2026-11-25T12:00:00+0000\",\"permalink\":\"https://o.example/@d/1\",\"media_type\":\"REPOST_FACADE\",\"reposted_post\":{\"id\":\"https://o.example/s/1\",\"text\":\"orig\",\"timestamp\":\"2026-11-20T00:00:00+0000\",\"permalink\":\"https://o.example/@d/1\",\"media_type\":\"TEXT_POST\",\"is_reply\":false,\"attributed_to\":\"d@o.example\"}}",
	    "a reblog is a repost with the boosted post inside");
	is_str(rec("{\"type\":\"Page\",\"id\":\"https://l.example/post/6\",\"name\":\"T\\u001b]0;x\\u0007\",\"content\":\"<p>b</p>\",\"published\":\"2024-02-02T02:02:02Z\",\"attachment\":[{\"type\":\"Image\",\"url\":\"https://f.example/1.jpg\",\"name\":\"a\\u009b2J\"}]}"),
	    "{\"id\":\"https://l.example/post/6\",\"username\":\"alice@m.example\",\"text\":\"T\xef\xbf\xbd]0;x\xef\xbf\xbd\\n\\nb\",\"timestamp\":\"2024-02-02T02:02:02+0000\",\"permalink\":\"https://l.example/post/6\",\"media_type\":\"IMAGE\",\"media_url\":\"https://f.example/1.jpg\",\"media_urls\":[\"https://f.example/1.jpg\"],\"alt_text\":\"a\xef\xbf\xbd" "2J\",\"is_reply\":false}",
	    "control characters in a title or a description are U+FFFD too");
	is_str(status("[]"), "null", "a status that is not an object");
	is_str(status("{\"uri\":\"https://m.example/users/mosseri/statuses/1\",\"created_at\":\"2026-11-25T11:00:00.000Z\",\"content\":\"<p>hi</p>\",\"account\":{\"acct\":\"mosseri@threads.net\"}}"),
	    "null", "a status of another server's account, served by this one, is refused: it cannot speak for it");
	is_str(status("{\"uri\":\"https://m.example/users/carol/statuses/2\",\"created_at\":\"2026-11-25T11:00:00.000Z\",\"content\":\"<p>hi</p>\",\"account\":{\"acct\":\"carol@M.example\"}}"),
	    "{\"id\":\"https://m.example/users/carol/statuses/2\",\"username\":\"carol@M.example\",\"text\":\"hi\",\"timestamp\":\"2026-11-25T11:00:00+0000\",\"permalink\":\"https://m.example/users/carol/statuses/2\",\"media_type\":\"TEXT_POST\",\"is_reply\":false}",
	    "  one that names its own host is taken");
	is_str(status("{\"uri\":\"https://m.example/users/carol/statuses/3\",\"created_at\":\"2026-11-25T11:00:00.000Z\",\"content\":\"<p>hi</p>\",\"spoiler_text\":\"cw\\u001b[2J\",\"account\":{\"acct\":\"carol\"}}"),
	    "{\"id\":\"https://m.example/users/carol/statuses/3\",\"username\":\"carol@m.example\",\"text\":\"hi\",\"timestamp\":\"2026-11-25T11:00:00+0000\",\"permalink\":\"https://m.example/users/carol/statuses/3\",\"media_type\":\"TEXT_POST\",\"summary\":\"cw\xef\xbf\xbd[2J\",\"is_reply\":false}",
	    "  and in a status's content warning");
	th_ap_cleanup();
	return done_testing();
}
