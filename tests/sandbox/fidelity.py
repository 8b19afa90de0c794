#!/usr/bin/env python3
"""fidelity: the sandbox answers in the shape of the real API.

    python3 fidelity.py SANDBOX_URL FIXTURES_DIR

For every recorded payload in shared/fixtures/ that the sandbox has an
endpoint for, make the same request to the sandbox and check that the
answer has the fixture's shape: every key the fixture has, with the same
JSON type; ids as digit strings; timestamps as 2023-10-17T05:42:03+0000;
error envelopes with the same keys. Prints TAP.
"""

import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE, FIX = sys.argv[1], sys.argv[2]
TOKEN = os.environ["SANDBOX_TOKEN"]
TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")
n = 0
failed = 0


def load(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        text = f.read()
    if name.endswith(".jsonc"):
        text = re.sub(r"//[^\n\"]*$", "", text, flags=re.M)    # comments
        # the docs' shorthand: a literal "...", "A" | "B" for either value,
        # and a missing comma between two members
        text = re.sub(r"^\s*\.\.\.,?\s*$", "", text, flags=re.M)
        text = re.sub(r'("[^"\n]*")\s*\|\s*"[^"\n]*"', r"\1", text)
        text = re.sub(r'("|\d)[ \t]*\n(\s*")', r"\1,\n\2", text)
        text = re.sub(r",(\s*[}\]])", r"\1", text)             # trailing commas
    return json.loads(text)


def call(method, path, params=None, token=TOKEN, raw=False):
    params = dict(params or {})
    url = BASE + path
    data = None
    if method == "POST":
        data = urllib.parse.urlencode(params).encode()
    elif params:
        url += "?" + urllib.parse.urlencode(params)
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req) as r:
            status, body = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read().decode()
    return status, (body if raw else json.loads(body))


def control(path, obj):
    req = urllib.request.Request(BASE + path, data=json.dumps(obj).encode(),
                                 method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def kind(v):
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if v is None:
        return "null"
    return type(v).__name__


def shape(want, got, path, errs):
    if kind(want) != kind(got):
        errs.append("%s: %s in the fixture, %s in the sandbox" % (path, kind(want), kind(got)))
        return
    if isinstance(want, dict):
        for k, v in want.items():
            if k not in got:
                errs.append("%s.%s: missing" % (path, k))
            else:
                shape(v, got[k], "%s.%s" % (path, k), errs)
    elif isinstance(want, list):
        if want and not got:
            errs.append("%s: empty in the sandbox" % path)
        elif want and got:
            shape(want[0], got[0], path + "[0]", errs)
    elif isinstance(want, str):
        key = path.rsplit(".", 1)[-1]
        if (key == "id" or key.endswith("_id")) and want.isdigit() and not got.isdigit():
            errs.append("%s: id '%s' is not a digit string" % (path, got))
        if TS.match(want) and not TS.match(got):
            errs.append("%s: timestamp '%s' is not in the API's format" % (path, got))
        if key == "permalink" and not re.match(r"^https://www\.threads\.(com|net)/@[^/]+/post/\w", got):
            errs.append("%s: permalink '%s'" % (path, got))


def check(fixture, got, what, status=None, want_status=None, mangle=None):
    global n, failed
    n += 1
    want = load(fixture)
    if mangle:
        want = mangle(want)
    errs = []
    shape(want, got, "$", errs)
    if want_status is not None and status != want_status:
        errs.append("HTTP %s, want %s" % (status, want_status))
    if errs:
        failed += 1
        print("not ok %d - %s: %s" % (n, fixture, what))
        for e in errs[:10]:
            print("#   " + e)
    else:
        print("ok %d - %s: %s" % (n, fixture, what))


def fields_of(obj):
    return ",".join(k for k in obj)


def first(doc):
    return doc["data"][0] if "data" in doc else doc


# a post of our own with every field the post fixtures show
_, c = call("POST", "/v1.0/me/threads", {"media_type": "TEXT", "text": "Today Is Monday",
                                         "topic_tag": "Mondays"})
cid = c["id"]
st, pub = call("POST", "/v1.0/me/threads_publish", {"creation_id": cid})
pid = pub["id"]

check("threads-container-create-doc.jsonc", c, "create a container")
check("threads-publish-doc.jsonc", pub, "publish it")
st, got = call("GET", "/v1.0/" + cid, {"fields": "status,id"})
check("threads-container-status-finished-doc.json", got, "status of a finished container")
_, ce = call("POST", "/v1.0/me/threads", {
    "media_type": "VIDEO", "video_url": "https://cdn.example/v.mp4?sandbox_error=FAILED_DOWNLOADING_VIDEO"})
st, got = call("GET", "/v1.0/" + ce["id"], {"fields": "status,id,error_message"})
check("threads-container-status-error-doc.json", got, "status of a failed container")
check("threads-container-status-error-unknown-live.json", got, "(live) failed container")

for fx in ("threads-media-single-doc.json", "threads-me-threads-page-doc.jsonc",
           "threads-me-threads-page-live-ja.json",
           "threads-media-item-text-post-live-ko.json"):
    doc = load(fx)
    item = first(doc)
    if "data" in doc:
        st, got = call("GET", "/v1.0/me/threads", {"fields": fields_of(item), "limit": "1"})
        if "next" in doc.get("paging", {}):
            pass
        else:
            got["paging"].pop("next", None)
    else:
        st, got = call("GET", "/v1.0/" + pid, {"fields": fields_of(item)})
    check(fx, got, "own post(s) with the same fields")

doc = load("threads-me-doc.json")
st, got = call("GET", "/v1.0/me", {"fields": fields_of(doc)})
check("threads-me-doc.json", got, "the profile")
check("threads-me-live-ko.json", got, "the profile (live)")

st, got = call("GET", "/v1.0/profile_lookup", {"username": "meta"})
check("threads-profile-lookup-doc.json", got, "profile_lookup")
item = first(load("threads-profile-posts-page-doc.jsonc"))
st, got = call("GET", "/v1.0/profile_posts", {"username": "meta", "limit": "1",
                                               "fields": fields_of(item)})
# a quote post is not what every page starts with: compare types, not values
check("threads-profile-posts-page-doc.jsonc", got, "profile_posts")
if "owner" in got["data"][0]:
    n += 1
    failed += 1
    print("not ok %d - profile_posts items have no owner" % n)
else:
    n += 1
    print("ok %d - profile_posts items have no owner" % n)

item = first(load("threads-keyword-search-doc.json"))
st, got = call("GET", "/v1.0/keyword_search", {"q": "launch", "search_type": "TOP",
                                                "fields": fields_of(item)})
check("threads-keyword-search-doc.json", got, "keyword_search")
item = load("threads-keyword-search-item-live-ko.json")
st, got = call("GET", "/v1.0/keyword_search", {"q": "\ub9db\uc9d1", "fields": fields_of(item)})
check("threads-keyword-search-item-live-ko.json", got["data"][0], "keyword_search, Korean")

st, got = call("GET", "/v1.0/me/mentions", {"fields": "id,text", "since": "1999999999"})
check("threads-mentions-empty-live.json", got, "mentions with nothing to show", st, 200)

# a post of ours with replies
_, root = call("GET", "/v1.0/me/threads", {"limit": "1"})
rid = root["data"][0]["id"]
reply_ids = []
for i in range(2):
    _, rc = call("POST", "/v1.0/me/threads", {"media_type": "TEXT", "text": "reply %d" % i,
                                              "reply_to_id": rid, "topic_tag": "t"})
    _, rp = call("POST", "/v1.0/me/threads_publish", {"creation_id": rc["id"]})
    reply_ids.append(rp["id"])
for fx, edge in (("threads-replies-doc.json", "replies"),
                 ("threads-conversation-doc.json", "conversation")):
    item = first(load(fx))
    st, got = call("GET", "/v1.0/%s/%s" % (rid, edge), {"fields": fields_of(item),
                                                        "reverse": "false"})
    check(fx, got, edge)
item = load("threads-replies-item-root-post-live-ko.json")
st, got = call("GET", "/v1.0/me/replies", {"fields": fields_of(item)})
check("threads-replies-item-root-post-live-ko.json", got["data"][0], "own replies")
st, got = call("POST", "/v1.0/%s/manage_reply" % reply_ids[0], {"hide": "true"})
check("threads-manage-reply-doc.json", got, "manage_reply")
# reply approvals (threads-api.md 12.1): one ignored, one pending
for status in ("ignored", "pending"):
    control("/_control/reply", {"to": rid, "approval": status, "text": status + " reply"})
item = first(load("threads-pending-replies-doc.json"))
st, got = call("GET", "/v1.0/%s/pending_replies" % rid, {"fields": fields_of(item)})
check("threads-pending-replies-doc.json", got, "pending_replies")
st, got = call("POST", "/v1.0/%s/manage_pending_reply" % got["data"][0]["id"],
               {"approve": "true"})
check("threads-manage-reply-doc.json", got, "manage_pending_reply: the same answer")
# location search and a post's location (12.4); the doc's place id is a
# number, and the sandbox's too
place = first(load("threads-location-search-doc.jsonc"))
st, got = call("GET", "/v1.0/location_search", {"q": "Meta HQ", "fields": fields_of(place)})
check("threads-location-search-doc.jsonc", got, "location_search")
_, lc = call("POST", "/v1.0/me/threads", {"media_type": "TEXT", "text": "here",
                                          "location_id": str(got["data"][0]["id"])})
_, lp = call("POST", "/v1.0/me/threads_publish", {"creation_id": lc["id"]})
loc = load("threads-media-location-doc.jsonc")
st, got = call("GET", "/v1.0/" + lp["id"], {"fields": "id,location_id,location{%s}"
                                            % fields_of(loc["location"])})
check("threads-media-location-doc.jsonc", got, "a post's location")
# a text attachment read back (12.6)
ta = load("threads-text-attachment-doc.json")["text_attachment"]
_, tc = call("POST", "/v1.0/me/threads", {"media_type": "TEXT", "text": "attached",
             "text_attachment": json.dumps({"plaintext": "Lengthy plaintext here.",
                                            "link_attachment_url": "https://a.example/",
                                            "text_with_styling_info": [
                                                {"offset": 0, "length": 7,
                                                 "styling_info": ["bold"]}]})})
_, tp = call("POST", "/v1.0/me/threads_publish", {"creation_id": tc["id"]})
st, got = call("GET", "/v1.0/" + tp["id"], {"fields": "id,text_attachment"})
check("threads-text-attachment-doc.json", got, "a text attachment read back")
# share to Instagram Stories (12.9): the container's answer has the status
st, got = call("POST", "/v1.0/me/threads", {"media_type": "TEXT", "text": "to the story",
                                            "crossreshare_to_ig": "true"})
check("threads-share-to-ig-container-doc.jsonc", got, "a container shared to IG Stories")

# ghost posts (12.2)
control("/_control/ghost", {"text": "a ghost post"})
item = first(load("threads-ghost-posts-page-doc.json"))
st, got = call("GET", "/v1.0/me/ghost_posts", {"fields": fields_of(item)})
check("threads-ghost-posts-page-doc.json", got, "ghost_posts")

st, got = call("GET", "/v1.0/%s/insights" % pid, {"metric": "likes,replies"})
check("threads-media-insights-doc.json", got, "media insights")
check("threads-media-insights-live-ja.json", got, "media insights (live)",
      mangle=lambda d: {"data": [{k: v for k, v in d["data"][1].items()}]})
st, got = call("GET", "/v1.0/me/threads_insights", {"metric": "views"})
check("threads-user-insights-views-timeseries-doc.json", got, "user insights, time series")
st, got = call("GET", "/v1.0/me/threads_insights", {"metric": "likes"})
check("threads-user-insights-likes-total-value-pythreads.json", got, "user insights, total value",
      mangle=lambda d: {"data": d["data"]})
st, got = call("GET", "/v1.0/me/threads_insights", {"metric": "clicks"})
check("threads-user-insights-clicks-link-total-values-doc.json", got, "clicks")
st, got = call("GET", "/v1.0/me/threads_insights",
               {"metric": "follower_demographics", "breakdown": "age"})
check("threads-user-insights-follower-demographics-age-pythreads.json", got,
      "follower demographics", mangle=lambda d: {"data": d["data"]})
_, got = call("GET", "/v1.0/" + pid, {"fields": "permalink"})
st, got = call("GET", "/v1.0/oembed", {"url": got["permalink"] + "/"}, token=None)
check("threads-oembed-2026-doc.json", got, "oEmbed, without a token", st, 200)
call("GET", "/v1.0/keyword_search", {"q": "some keyword"})
call("GET", "/v1.0/keyword_search", {"q": "some other keyword"})
st, got = call("GET", "/v1.0/me", {"fields": "id,recently_searched_keywords"})
check("threads-me-recently-searched-keywords-doc.jsonc", got, "recently searched keywords")
lim = load("threads-publishing-limit-all-quotas-doc.json")
st, got = call("GET", "/v1.0/me/threads_publishing_limit",
               {"fields": fields_of(lim["data"][0])})
check("threads-publishing-limit-all-quotas-doc.json", got, "publishing limit")

st, got = call("POST", "/v1.0/%s/repost" % pid)
check("threads-repost-create-doc.jsonc", got, "repost")
rp = got["id"]
st, got = call("GET", "/v1.0/" + rp, {"fields": "id,media_type,reposted_post"})
check("threads-media-repost-facade-doc.json", got, "a repost reads back as REPOST_FACADE")
_, qc = call("POST", "/v1.0/me/threads", {"media_type": "TEXT", "text": "quoting",
                                          "quote_post_id": pid})
_, qp = call("POST", "/v1.0/me/threads_publish", {"creation_id": qc["id"]})
st, got = call("GET", "/v1.0/" + qp["id"], {"fields": "id,is_quote_post,quoted_post"})
check("threads-media-quote-post-doc.json", got, "a quote post")
st, got = call("DELETE", "/v1.0/" + qp["id"])
check("threads-delete-doc.jsonc", got, "delete")

# tokens
control("/_control/seed", {"oauth_code": "AQBsandboxcode", "redirect_uri": "https://x.example/cb"})
secret = os.environ.get("SANDBOX_APP_SECRET", "sandbox-app-secret")
st, raw = call("POST", "/oauth/access_token", {
    "client_id": "1234567890123456", "client_secret": secret, "code": "AQBsandboxcode",
    "grant_type": "authorization_code", "redirect_uri": "https://x.example/cb"},
    token=None, raw=True)
got = json.loads(raw)
check("threads-token-short-lived-pyfacebook.json", got, "code exchange")
check("threads-token-short-lived-doc.json", got, "code exchange (doc)")
n += 1
if re.search(r'"user_id":\s*\d{16,}', raw):
    print("ok %d - code exchange: user_id is a bare JSON number above 2^53" % n)
else:
    failed += 1
    print("not ok %d - code exchange: user_id is a bare JSON number above 2^53: %s" % (n, raw))
short = got["access_token"]
st, got = call("GET", "/access_token", {"grant_type": "th_exchange_token",
                                        "client_secret": secret}, token=short)
check("threads-token-long-lived-pyfacebook.json", got, "th_exchange_token")
long_ = got["access_token"]
st, got = call("GET", "/refresh_access_token", {"grant_type": "th_refresh_token"}, token=long_)
n += 1
if st == 400 and got["error"]["code"] == 100:
    print("ok %d - a token younger than 24 h is not refreshed" % n)
else:
    failed += 1
    print("not ok %d - a token younger than 24 h is not refreshed: %s %s" % (n, st, got))
control("/_control/clock", {"advance": 86400 + 60})
st, got = call("GET", "/refresh_access_token", {"grant_type": "th_refresh_token"}, token=long_)
check("threads-token-long-lived-pyfacebook.json", got, "th_refresh_token after 24 h")
st, got = call("POST", "/oauth/access_token", {
    "client_id": "1234567890123456", "client_secret": secret, "code": "AQBsandboxcode",
    "grant_type": "authorization_code", "redirect_uri": "https://x.example/cb"}, token=None)
check("threads-token-exchange-error-doc.json", got, "a used code: the flat error shape", st, 400)
st, got = call("GET", "/oauth/access_token", {"client_id": "1234567890123456",
                                              "client_secret": secret,
                                              "grant_type": "client_credentials"}, token=None)
check("threads-app-token-doc.json", got, "app token")
st, got = call("GET", "/v1.0/debug_token", {"input_token": TOKEN})
check("threads-debug-token-doc.json", got, "debug_token")

# error envelopes
st, got = call("GET", "/v1.0/me", token="THQVJnotatoken")
check("threads-error-190-invalid-oauth-http500.json", got, "invalid token, HTTP 500", st, 500)
st, got = call("GET", "/v1.0/zuck/threads")
check("threads-error-100-33-unsupported-get-live.json", got, "unsupported get", st, 400)
st, got = call("POST", "/v1.0/me/threads_publish", {"creation_id": "18079098539304490"})
check("threads-error-24-media-not-found-live.json", got, "publish an unknown container", st, 400)
st, got = call("POST", "/v1.0/me/threads", {"media_type": "TEXT", "text": "x",
                                            "reply_to_id": "1"})
check("threads-error-100-reply_to_id-invalid-http500.json", got, "bad reply_to_id", st, 500)
control("/_control/token", {"token": "THQVJold", "age": 61 * 86400})
st, got = call("GET", "/v1.0/me", token="THQVJold")
check("graphfb-error-190-463-expired-live.json", got, "an expired token", st, 400)

print("1..%d" % n)
sys.exit(1 if failed else 0)
