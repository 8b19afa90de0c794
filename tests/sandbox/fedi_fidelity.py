#!/usr/bin/env python3
"""fedi_fidelity: the fediverse sandbox answers in the shapes of the real
servers' recorded payloads (shared/fixtures/ap-*.json).

    python3 fedi_fidelity.py FEDI_URL FIXTURES_DIR

Every request goes to the sandbox's loopback port with the real host in
the Host header, as th sends it. For each fixture: the same keys with the
same JSON types (and, where the fixture is an error, the same body and
status), the same URL patterns, the same key order where a real server's
order differs from the others' (Threads' WebFinger). Prints TAP.
"""

import json
import os
import re
import sys
import urllib.error
import urllib.request

BASE, FIX = sys.argv[1], sys.argv[2]
n = 0
failed = 0


def load(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return json.load(f)


def ok(cond, what, detail=""):
    global n, failed
    n += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, what))
    if not cond:
        failed += 1
        for line in str(detail).splitlines():
            print("#   " + line)


def control(path, obj):
    req = urllib.request.Request(BASE + path, data=json.dumps(obj).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()


def get(host, path, accept="application/activity+json"):
    req = urllib.request.Request(BASE + path, headers={"Host": host,
                                                       "Accept": accept})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def kind(v):
    return type(v).__name__


def same_shape(got, want, what, skip=()):
    """every key of want in got, with the same JSON type (null matches
    anything: the fixture's null is one value of an optional field)"""
    missing = [k for k in want if k not in got and k not in skip]
    wrong = ["%s: %s, want %s" % (k, kind(got[k]), kind(want[k]))
             for k in want if k in got and want[k] is not None
             and got[k] is not None and kind(got[k]) != kind(want[k])]
    ok(not missing and not wrong, what,
       "missing: %s\nwrong type: %s" % (missing, wrong))


control("/_control/account", {"host": "mastodon.example", "user": "Alice",
        "posts": [{"content": "<p>one</p>", "published": "2026-11-25T10:00:00Z",
                   "tags": ["ramen"]},
                  {"announce": "https://other.example/users/b/statuses/1",
                   "published": "2026-11-25T09:00:00Z"}]})
control("/_control/server", {"host": "locked.example", "signed_fetch": True})
control("/_control/account", {"host": "locked.example", "user": "carol"})
control("/_control/server", {"host": "threads.net", "kind": "threads"})
control("/_control/account", {"host": "threads.net", "user": "rosiesherry"})

# -- WebFinger ------------------------------------------------------------
fx = load("ap-mastodon-webfinger-gargron-2024-04-live.json")
st, body = get("mastodon.example",
               "/.well-known/webfinger?resource=acct%3Aalice%40mastodon.example",
               "application/jrd+json")
wf = json.loads(body)
ok(st == 200, "Mastodon WebFinger: 200")
ok(list(wf) == list(fx), "Mastodon WebFinger: the fixture's keys in its order",
   "%s\n%s" % (list(wf), list(fx)))
ok(wf["subject"] == "acct:Alice@mastodon.example" and
   fx["subject"] == "acct:Gargron@mastodon.social",
   "Mastodon WebFinger: subject in the account's case for a lower-case query")
want = {(l["rel"], l.get("type")) for l in fx["links"]
        if "avatar" not in l["rel"]}
have = {(l["rel"], l.get("type")) for l in wf["links"]}
ok(want <= have, "Mastodon WebFinger: the fixture's link relations and types",
   "%s" % (want - have))
self_ = [l["href"] for l in wf["links"] if l["rel"] == "self"]
ok(self_ == ["https://mastodon.example/users/Alice"] and
   re.match(r"^https://mastodon\.social/users/Gargron$",
            [l["href"] for l in fx["links"] if l["rel"] == "self"][0]),
   "Mastodon WebFinger: self is https://HOST/users/User")

for name in ("ap-threads-webfinger-rosiesherry-2024-08-live.json",):
    fx = load(name)
    st, body = get("threads.net", "/.well-known/webfinger?resource=acct%3A"
                   "rosiesherry%40threads.net", "application/jrd+json")
    wf = json.loads(body)
    ok(list(wf) == list(fx) == ["links", "subject"],
       "Threads WebFinger: links before subject, no aliases (%s)" % name)
    ok([list(l) for l in wf["links"]] == [list(l) for l in fx["links"]],
       "Threads WebFinger: link members in the fixture's order")
    pat = r"^https://threads\.net/ap/users/\d{17}/$"
    ok(re.match(pat, wf["links"][0]["href"]) and
       re.match(pat, fx["links"][0]["href"]),
       "Threads WebFinger: self is /ap/users/<17-digit id>/, trailing slash",
       wf["links"][0]["href"])
fx = load("ap-threads-webfinger-mosseri-2024-04-live.json")
ok(any(l["rel"] == "self" and "activity+json" in l["type"] for l in fx["links"]),
   "the older Threads WebFinger has a self link th reads the same way")
st, body = get("mastodon.example",
               "/.well-known/webfinger?resource=acct%3Anobody%40mastodon.example")
ok(st == 404, "WebFinger of an unknown account: 404", st)

# -- actors ---------------------------------------------------------------
fx = load("ap-mastodon-actor-gargron-2024-04-live.json")
st, body = get("mastodon.example", "/users/Alice")
actor = json.loads(body)
ok(st == 200, "Mastodon actor: 200 to an unsigned read when not locked")
same_shape(actor, fx, "Mastodon actor: every key of the live actor, same types")
ok(actor["outbox"] == "https://mastodon.example/users/Alice/outbox" and
   fx["outbox"] == fx["id"] + "/outbox", "Mastodon actor: outbox is ID/outbox")
ok(isinstance(actor["@context"], list) and
   isinstance(actor["@context"][-1], dict) and "toot" in actor["@context"][-1],
   "Mastodon actor: @context ends in the inline toot: term map")
old = load("ap-mastodon-actor-spec-fixture-2017.json")
ok(isinstance(old.get("outbox"), str) and "<" in old.get("summary", ""),
   "the 2017 actor: outbox a string, summary HTML (\\u003c escapes decoded)")

fx = load("ap-mastodon-unsigned-actor-401-live.json")
st, body = get("locked.example", "/users/carol")
ok(st == 401 and json.loads(body) == fx,
   "authorized fetch: 401 and the recorded body", "%s %s" % (st, body))
st, body = get("locked.example", "/users/carol/outbox?page=true")
ok(st == 401 and json.loads(body) == fx, "authorized fetch: the outbox too")

fx = load("ap-threads-actor-unsigned-not-found-live.json")
href = wf["links"][0]["href"]
st, body = get("threads.net", href[len("https://threads.net"):])
ok(st == 404 and json.loads(body) == fx,
   "Threads actor, unsigned: 404 and the recorded body", "%s %s" % (st, body))
st, body = get("threads.net", "/api/v1/accounts/lookup?acct=rosiesherry",
               "application/json")
ok(st == 404 and not body.startswith(b"{"),
   "Threads has no Mastodon API: a 404 that is not JSON")

# -- outbox -----------------------------------------------------------------
fx = load("ap-mastodon-outbox-collection-mstdn-jp.json")
st, body = get("mastodon.example", "/users/Alice/outbox")
col = json.loads(body)
ok(list(col) == list(fx), "outbox: the live collection's keys, no items",
   "%s\n%s" % (list(col), list(fx)))
ok(col["first"] == col["id"] + "?page=true" and fx["first"] == fx["id"] + "?page=true"
   and col["last"] == col["id"] + "?min_id=0&page=true"
   and fx["last"] == fx["id"] + "?min_id=0&page=true",
   "outbox: first ?page=true, last ?min_id=0&page=true")

fx = load("ap-mastodon-outbox-items-gargron-2023-04-live.json")["activities"]
st, body = get("mastodon.example", "/users/Alice/outbox?page=true")
page = json.loads(body)
ok(page["type"] == "OrderedCollectionPage" and "orderedItems" in page and
   page["partOf"] == col["id"], "outbox page: an OrderedCollectionPage of its outbox")
create = [a for a in page["orderedItems"] if a["type"] == "Create"]
announce = [a for a in page["orderedItems"] if a["type"] == "Announce"]
fcreate = [a for a in fx if a["type"] == "Create"][0]
fannounce = [a for a in fx if a["type"] == "Announce"][0]
ok(create and announce, "outbox page: mixes Create and Announce, as the live one")
ok(list(create[0]) == list(fcreate), "Create: the live activity's keys in order",
   "%s\n%s" % (list(create[0]), list(fcreate)))
same_shape(create[0]["object"], fcreate["object"],
           "Create: the embedded Note has every key of the live Note")
ok(list(create[0]["object"]) == list(fcreate["object"]),
   "Create: the Note's keys in the live order")
ok(list(announce[0]) == list(fannounce) and isinstance(announce[0]["object"], str)
   and isinstance(fannounce["object"], str),
   "Announce: the live keys, object a bare URL")
ts = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ok(all(ts.match(a["published"]) for a in page["orderedItems"]) and
   all(ts.match(a["published"]) for a in fx),
   "published is 2023-04-12T16:02:55Z, as live")
ok(create[0]["object"]["id"] + "/activity" == create[0]["id"] and
   fcreate["object"]["id"] + "/activity" == fcreate["id"],
   "a Create's id is its Note's id + /activity")

# -- GoToSocial: objects by URL ------------------------------------------------
# (no recording: the shape of docs.gotosocial.org's outbox page, and the
# Note fetched by its URL in the live Note's shape)
control("/_control/server", {"host": "gts.example", "kind": "gotosocial"})
control("/_control/account", {"host": "gts.example", "user": "gina",
        "posts": [{"content": "<p>one</p>", "published": "2026-11-25T10:00:00Z"}]})
st, body = get("gts.example", "/users/gina/outbox")
ok(st == 200 and list(json.loads(body)) == ["@context", "id", "type", "first"],
   "GoToSocial outbox: @context, id, type, first; no items", body)
st, body = get("gts.example", "/users/gina/outbox?page=true")
gp = json.loads(body)
gc = gp["orderedItems"][0]
ok(list(gc) == list(fcreate) and isinstance(gc["object"], str) and
   gc["object"] + "/activity" == gc["id"],
   "GoToSocial page: the live Create's keys, object the Note's bare URL",
   "%s\n%s" % (list(gc), list(fcreate)))
st, body = get("gts.example", gc["object"][len("https://gts.example"):])
gn = json.loads(body)
ok(st == 200 and gn["id"] == gc["object"] and "@context" in gn,
   "the Note's URL answers the Note, with its @context", "%s %s" % (st, body))
same_shape(gn, fcreate["object"], "  with every key of the live Note")

print("1..%d" % n)
sys.exit(1 if failed else 0)
