#!/usr/bin/env python3
"""fedi: a local fake of fediverse servers, for th's fediverse sources.

    python3 fedi.py [--port-file FILE] [--port N]

One loopback listener plays any number of servers, told apart by the
Host header (th reaches it with TH_FEDI_CONNECT, keeping the real host
names and https URLs in every document). To th each server is a host of
its own, with its own connections, as on the internet: th connects to
each by its name, resolved to this listener (http.c), so one listener
measures what ten servers would. Documents have the shapes of
the real payloads in shared/fixtures/ap-*.json (see fedi_fidelity.py):

  mastodon   WebFinger (canonical-case subject, aliases), the actor with
             its large @context, an OrderedCollection outbox with only
             totalItems/first/last, pages at ?page=true then
             ?max_id=ID&page=true with Create (Note embedded) and
             Announce (object as a bare URL), 20 per page; and the public
             REST API: /api/v1/accounts/lookup, /api/v1/accounts/ID/statuses.
             "signed_fetch": the actor and outbox answer 401
             {"error":"Request not signed"} (authorized fetch), as
             mastodon.social did to unsigned reads in the 2026 recording.
             "rest": false: the REST API wants a login (401).
  gotosocial as mastodon, but the outbox's pages (30 items, GoToSocial's
             documented shape) list each Create with its object as a bare
             URL, to be fetched: /users/USER/statuses/ID answers the Note
             (as Mastodon's does too).
  threads    WebFinger only, in Threads' compact shape; the actor answers
             404 {"success":false,"error":"Not found"} to unsigned reads,
             and there is no Mastodon API (an HTML 404).

Control (any Host):
  POST /_control/server   {"host", "kind", "signed_fetch", "rest", "first"}
                          "first": "max_id": the outbox names its first
                          page with a cursor, ?max_id=NEWEST+1&page=true
                          (as some servers pin a place in time)
  POST /_control/account  {"host", "user", "posts": [{"content",
                           "published", "announce", "in_reply_to",
                           "attachments", "summary", "tags"}]}
                          (user in its canonical case; posts in any order)
  POST /_control/post     {"host", "user", post...}: one more, newest id
  POST /_control/fault    {"host", "path", "status", "body", "ctype",
                           "headers", "times"}: the next requests under path
  POST /_control/fault/clear
  GET  /_control/log      every request: host, path, query, accept, conn
                          (the connection it came on: 1, 2, ... in the
                          order they were opened)
  POST /_control/log/clear
  POST /_control/gate     {"n": N, "timeout": S}: hold the next requests
                          until N of them wait at once, then answer them
                          all; after S seconds (default 10) without N,
                          answer anyway. Proves N requests were in flight
                          together, whatever the machine's speed.
  GET  /_control/gate     {"opened": true when N were reached, "most":
                          the most that waited at once}
  POST /_control/latency  {"ms": N}: added to every answer but the
                          controls' (the bench's round trip; the thread
                          sleeps, so other connections are answered)
"""

import argparse
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

from sandbox import Server, serve     # the same listener as the Threads one

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTOR_CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
     "toot": "http://joinmastodon.org/ns#",
     "featured": {"@id": "toot:featured", "@type": "@id"},
     "featuredTags": {"@id": "toot:featuredTags", "@type": "@id"},
     "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
     "movedTo": {"@id": "as:movedTo", "@type": "@id"},
     "schema": "http://schema.org#",
     "PropertyValue": "schema:PropertyValue",
     "value": "schema:value",
     "discoverable": "toot:discoverable",
     "suspended": "toot:suspended",
     "memorial": "toot:memorial",
     "indexable": "toot:indexable",
     "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"}}]
NOTE_CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    {"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri",
     "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
     "conversation": "ostatus:conversation", "sensitive": "as:sensitive",
     "toot": "http://joinmastodon.org/ns#", "votersCount": "toot:votersCount",
     "Hashtag": "as:Hashtag"}]
PAGE = 20
PAGE_GTS = 30


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.servers = {}
        self.accounts = {}      # (host, lower user) -> account
        self.log = []
        self.faults = []
        self.latency = 0.0
        self.next_id = 110186000000000000
        self.conns = 0          # connections opened so far
        self.gate = threading.Condition()
        self.gate_n = 0         # requests to wait for; 0: no gate
        self.gate_timeout = 10.0
        self.gate_waiting = 0
        self.gate_most = 0
        self.gate_opened = False


def snowflake(st):
    st.next_id += 1000
    return str(st.next_id)


def user_url(host, user):
    return "https://%s/users/%s" % (host, user)


def status_url(host, user, sid):
    return "%s/statuses/%s" % (user_url(host, user), sid)


def note(host, acct, p):
    base = user_url(host, acct["user"])
    o = {
        "id": status_url(host, acct["user"], p["id"]),
        "type": "Note",
        "summary": p.get("summary"),
        "inReplyTo": p.get("in_reply_to"),
        "published": p["published"],
        "url": "https://%s/@%s/%s" % (host, acct["user"], p["id"]),
        "attributedTo": base,
        "to": [AS_PUBLIC],
        "cc": [base + "/followers"],
        "sensitive": bool(p.get("summary")),
        "atomUri": status_url(host, acct["user"], p["id"]),
        "inReplyToAtomUri": p.get("in_reply_to"),
        "conversation": "tag:%s,%s:objectId=%s:objectType=Conversation"
                        % (host, p["published"][:10], p["id"][-6:]),
        "content": p.get("content", ""),
        "contentMap": {"en": p.get("content", "")},
        "attachment": [
            {"type": "Document",
             "mediaType": a.get("mediaType", "image/jpeg"),
             "url": a["url"],
             "name": a.get("name"),
             "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH",
             "width": 1200, "height": 800}
            for a in p.get("attachments", [])],
        "tag": [{"type": "Hashtag",
                 "href": "https://%s/tags/%s" % (host, t),
                 "name": "#" + t} for t in p.get("tags", [])],
        "replies": {
            "id": status_url(host, acct["user"], p["id"]) + "/replies",
            "type": "Collection",
            "first": {"type": "CollectionPage",
                      "next": status_url(host, acct["user"], p["id"])
                      + "/replies?only_other_accounts=true&page=true",
                      "partOf": status_url(host, acct["user"], p["id"])
                      + "/replies",
                      "items": []}},
    }
    return o


def activity(host, acct, p, bare=False):
    base = user_url(host, acct["user"])
    act = {
        "id": status_url(host, acct["user"], p["id"]) + "/activity",
        "actor": base,
        "published": p["published"],
        "to": [AS_PUBLIC],
        "cc": [base + "/followers"],
    }
    if p.get("announce"):
        act["type"] = "Announce"
        act["object"] = p["announce"]
    else:
        act["type"] = "Create"
        act["object"] = (status_url(host, acct["user"], p["id"]) if bare
                         else note(host, acct, p))
    return dict([("id", act["id"]), ("type", act["type"])] +
                [(k, v) for k, v in act.items() if k not in ("id", "type")])


def rest_account(host, acct):
    return {"id": acct["id"], "username": acct["user"], "acct": acct["user"],
            "display_name": acct["user"].title(), "locked": False,
            "bot": False, "discoverable": True, "group": False,
            "created_at": "2022-11-01T00:00:00.000Z", "note": "<p></p>",
            "url": "https://%s/@%s" % (host, acct["user"]),
            "uri": user_url(host, acct["user"]),
            "avatar": "https://%s/avatars/original/missing.png" % host,
            "followers_count": 10, "following_count": 5,
            "statuses_count": len(acct["posts"]), "emojis": [], "fields": []}


def rest_status(host, acct, p):
    s = {"id": p["id"], "created_at": p["published"].replace("Z", ".000Z"),
         "in_reply_to_id": "1" if p.get("in_reply_to") else None,
         "in_reply_to_account_id": None, "sensitive": bool(p.get("summary")),
         "spoiler_text": p.get("summary") or "", "visibility": "public",
         "language": "en",
         "uri": status_url(host, acct["user"], p["id"]),
         "url": "https://%s/@%s/%s" % (host, acct["user"], p["id"]),
         "replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
         "content": p.get("content", ""), "reblog": None,
         "account": rest_account(host, acct),
         "media_attachments": [
             {"id": p["id"] + str(i),
              "type": "video" if a.get("mediaType", "").startswith("video")
              else "image",
              "url": a["url"], "preview_url": a["url"],
              "description": a.get("name")}
             for i, a in enumerate(p.get("attachments", []))],
         "mentions": [],
         "tags": [{"name": t, "url": "https://%s/tags/%s" % (host, t)}
                  for t in p.get("tags", [])],
         "emojis": [], "card": None, "poll": None}
    if p.get("announce"):
        s["uri"] = status_url(host, acct["user"], p["id"]) + "/activity"
        s["url"] = None
        s["content"] = ""
        s["reblog"] = {"id": "9" + p["id"], "created_at": s["created_at"],
                       "uri": p["announce"], "url": p["announce"],
                       "content": "<p>boosted</p>", "reblog": None,
                       "account": {"acct": "someone@elsewhere.example"},
                       "media_attachments": [], "tags": []}
    return s


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fedi/1"
    sys_version = ""
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        st = self.server.state
        with st.lock:
            st.conns += 1
            self.conn = st.conns

    def wait_gate(self, st):
        """Hold this request until the gate's N wait at once (or its
        timeout passes); no gate, no wait."""
        with st.gate:
            if st.gate_n <= 0:
                return
            st.gate_waiting += 1
            st.gate_most = max(st.gate_most, st.gate_waiting)
            if st.gate_waiting >= st.gate_n:
                st.gate_n, st.gate_opened = 0, True
                st.gate.notify_all()
            elif not st.gate.wait_for(lambda: st.gate_n <= 0,
                                      st.gate_timeout):
                st.gate_n = 0           # timed out: let them all go
                st.gate.notify_all()
            st.gate_waiting -= 1

    def send(self, status, obj, ctype="application/activity+json; charset=utf-8",
             headers=None):
        body = obj if isinstance(obj, bytes) else json.dumps(
            obj, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        st = self.server.state
        path = urllib.parse.urlsplit(self.path).path
        arg = json.loads(raw or b"{}")
        with st.lock:
            if path == "/_control/server":
                st.servers[arg["host"]] = {
                    "kind": arg.get("kind", "mastodon"),
                    "signed_fetch": arg.get("signed_fetch", False),
                    "rest": arg.get("rest", True),
                    "first": arg.get("first")}
            elif path == "/_control/account":
                host = arg["host"]
                st.servers.setdefault(host, {"kind": "mastodon",
                                             "signed_fetch": False,
                                             "rest": True})
                acct = {"user": arg["user"], "posts": [],
                        "id": ("178414%011d" % len(st.accounts)
                               if st.servers[host]["kind"] == "threads"
                               else snowflake(st)[-6:])}
                for p in arg.get("posts", []):
                    p = dict(p)
                    p["id"] = snowflake(st)
                    acct["posts"].append(p)
                # newest first, as servers list them; ids follow time
                acct["posts"].sort(key=lambda p: p["published"], reverse=True)
                ids = sorted((p["id"] for p in acct["posts"]), reverse=True)
                for p, i in zip(acct["posts"], ids):
                    p["id"] = i
                st.accounts[(host, arg["user"].lower())] = acct
            elif path == "/_control/post":
                acct = st.accounts[(arg["host"], arg["user"].lower())]
                p = dict(arg)
                p["id"] = snowflake(st)
                acct["posts"].insert(0, p)
                acct["posts"].sort(key=lambda p: p["published"], reverse=True)
            elif path == "/_control/fault":
                st.faults.append(arg)
            elif path == "/_control/fault/clear":
                st.faults = []
            elif path == "/_control/log/clear":
                st.log = []
            elif path == "/_control/latency":
                st.latency = arg.get("ms", 0) / 1000.0
            elif path == "/_control/gate":
                with st.gate:
                    st.gate_n = arg.get("n", 0)
                    st.gate_timeout = arg.get("timeout", 10.0)
                    st.gate_waiting = st.gate_most = 0
                    st.gate_opened = False
            else:
                return self.send(404, {"error": "no such control"})
        self.send(200, {"ok": True}, "application/json")

    def do_GET(self):
        st = self.server.state
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_control/log":
            with st.lock:
                return self.send(200, st.log, "application/json")
        if url.path == "/_control/gate":
            with st.gate:
                return self.send(200, {"opened": st.gate_opened,
                                       "most": st.gate_most},
                                 "application/json")
        self.wait_gate(st)
        if st.latency:
            time.sleep(st.latency)      # outside the lock: servers overlap
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        q = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        with st.lock:
            st.log.append({"host": host, "path": url.path, "query": q,
                           "accept": self.headers.get("Accept", ""),
                           "authorization": "Authorization" in self.headers,
                           "conn": self.conn,
                           "user_agent": self.headers.get("User-Agent", "")})
            for f in st.faults:
                if f.get("host") in (None, host) and \
                        url.path.startswith(f.get("path", "/")) and \
                        f.get("times", 1) > 0:
                    f["times"] = f.get("times", 1) - 1
                    body = f.get("body", {"error": "fault"})
                    return self.send(f.get("status", 500),
                                     body.encode() if isinstance(body, str)
                                     else body, f.get("ctype",
                                                      "application/json"),
                                     f.get("headers"))
            srv = st.servers.get(host)
            if srv is None:
                return self.send(404, b"<html><body>no such site</body></html>",
                                 "text/html")
            return self.route(st, host, srv, url.path, q)

    def route(self, st, host, srv, path, q):
        parts = path.strip("/").split("/")
        if path == "/.well-known/webfinger":
            res = q.get("resource", "")
            if res.startswith("acct:"):
                user, _, h = res[5:].rpartition("@")
            else:
                return self.send(400, {"error": "bad resource"}, "application/json")
            acct = st.accounts.get((host, user.lower()))
            if acct is None or h.lower() != host:
                return self.send(404, b"", "application/jrd+json")
            if srv["kind"] == "threads":
                return self.send(200, {"links": [
                    {"href": "https://%s/ap/users/%s/" % (host, acct["id"]),
                     "rel": "self", "type": "application/activity+json"},
                    {"href": "https://www.%s/@%s" % (host, acct["user"]),
                     "rel": "http://webfinger.net/rel/profile-page",
                     "type": "text/html"}],
                    "subject": "acct:%s@%s" % (acct["user"], host)},
                    "application/jrd+json; charset=utf-8")
            return self.send(200, {
                "subject": "acct:%s@%s" % (acct["user"], host),
                "aliases": ["https://%s/@%s" % (host, acct["user"]),
                            user_url(host, acct["user"])],
                "links": [
                    {"rel": "http://webfinger.net/rel/profile-page",
                     "type": "text/html",
                     "href": "https://%s/@%s" % (host, acct["user"])},
                    {"rel": "self", "type": "application/activity+json",
                     "href": user_url(host, acct["user"])},
                    {"rel": "http://ostatus.org/schema/1.0/subscribe",
                     "template": "https://%s/authorize_interaction?uri={uri}"
                                 % host}]},
                "application/jrd+json; charset=utf-8")
        if srv["kind"] == "threads":
            if parts[:2] == ["ap", "users"]:
                return self.send(404, {"success": False, "error": "Not found"},
                                 "application/json")
            return self.send(404, b"<!DOCTYPE html><html><body>Sorry, this "
                             b"page isn't available.</body></html>",
                             "text/html; charset=utf-8")
        if parts[:2] == ["api", "v1"]:
            return self.rest(st, host, srv, parts[2:], q)
        if len(parts) >= 2 and parts[0] == "users":
            acct = st.accounts.get((host, parts[1].lower()))
            if acct is None or acct["user"] != parts[1]:
                return self.send(404, {"error": "Record not found"},
                                 "application/json")
            if srv["signed_fetch"]:
                return self.send(401, {"error": "Request not signed"},
                                 "application/json")
            if len(parts) == 2:
                return self.send(200, self.actor(host, acct))
            if len(parts) == 3 and parts[2] == "outbox":
                return self.outbox(host, acct, q, srv["kind"] == "gotosocial",
                                   srv.get("first"))
            if len(parts) == 4 and parts[2] == "statuses":
                p = next((p for p in acct["posts"] if p["id"] == parts[3]
                          and not p.get("announce")), None)
                if p is not None:
                    return self.send(200, dict([("@context", NOTE_CONTEXT)] +
                                               list(note(host, acct,
                                                         p).items())))
        return self.send(404, {"error": "Record not found"}, "application/json")

    def actor(self, host, acct):
        base = user_url(host, acct["user"])
        return {
            "@context": ACTOR_CONTEXT, "id": base, "type": "Person",
            "following": base + "/following", "followers": base + "/followers",
            "inbox": base + "/inbox", "outbox": base + "/outbox",
            "featured": base + "/collections/featured",
            "featuredTags": base + "/collections/tags",
            "preferredUsername": acct["user"], "name": acct["user"].title(),
            "summary": "<p>A sandbox account.</p>",
            "url": "https://%s/@%s" % (host, acct["user"]),
            "manuallyApprovesFollowers": False, "discoverable": True,
            "indexable": True, "published": "2022-11-01T00:00:00Z",
            "memorial": False, "devices": base + "/collections/devices",
            "alsoKnownAs": [],
            "publicKey": {"id": base + "#main-key", "owner": base,
                          "publicKeyPem": "-----BEGIN PUBLIC KEY-----\n"
                          "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsandbox\n"
                          "-----END PUBLIC KEY-----\n"},
            "tag": [], "attachment": [],
            "endpoints": {"sharedInbox": "https://%s/inbox" % host},
            "icon": {"type": "Image", "mediaType": "image/png",
                     "url": "https://%s/avatars/original/missing.png" % host},
            "image": {"type": "Image", "mediaType": "image/png",
                      "url": "https://%s/headers/original/missing.png" % host},
        }

    def outbox(self, host, acct, q, gts=False, first=None):
        base = user_url(host, acct["user"]) + "/outbox"
        if q.get("page") != "true" and first == "max_id" and acct["posts"]:
            return self.send(200, {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": base, "type": "OrderedCollection",
                "totalItems": len(acct["posts"]),
                "first": base + "?max_id=%d&page=true"
                % (int(acct["posts"][0]["id"]) + 1)})
        if q.get("page") != "true" and gts:
            return self.send(200, {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": base, "type": "OrderedCollection",
                "first": base + "?page=true"})
        if q.get("page") != "true":
            return self.send(200, {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": base, "type": "OrderedCollection",
                "totalItems": len(acct["posts"]),
                "first": base + "?page=true",
                "last": base + "?min_id=0&page=true"})
        posts = acct["posts"]
        if "max_id" in q:
            posts = [p for p in posts if int(p["id"]) < int(q["max_id"])]
        size = PAGE_GTS if gts else PAGE
        page = posts[:size]
        me = base + "?page=true" + ("&max_id=" + q["max_id"]
                                    if "max_id" in q else "")
        doc = {"@context": NOTE_CONTEXT, "id": me,
               "type": "OrderedCollectionPage"}
        if len(posts) > size:
            doc["next"] = base + "?max_id=%s&page=true" % page[-1]["id"]
        if page:
            doc["prev"] = base + "?min_id=%s&page=true" % page[0]["id"]
        doc["partOf"] = base
        doc["orderedItems"] = [activity(host, acct, p, gts) for p in page]
        return self.send(200, doc)

    def rest(self, st, host, srv, parts, q):
        if not srv["rest"]:
            return self.send(401, {"error": "This API requires an "
                                   "authenticated user"}, "application/json")
        if parts == ["accounts", "lookup"]:
            user = q.get("acct", "").split("@")[0]
            acct = st.accounts.get((host, user.lower()))
            if acct is None:
                return self.send(404, {"error": "Record not found"},
                                 "application/json")
            return self.send(200, rest_account(host, acct), "application/json")
        if len(parts) == 3 and parts[0] == "accounts" and parts[2] == "statuses":
            acct = next((a for (h, _), a in st.accounts.items()
                         if h == host and a["id"] == parts[1]), None)
            if acct is None:
                return self.send(404, {"error": "Record not found"},
                                 "application/json")
            posts = acct["posts"]
            if "max_id" in q:
                posts = [p for p in posts if int(p["id"]) < int(q["max_id"])]
            n = min(int(q.get("limit", 20)), 40)
            return self.send(200, [rest_status(host, acct, p)
                                   for p in posts[:n]], "application/json")
        return self.send(404, {"error": "Record not found"}, "application/json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file")
    ap.add_argument("--port", type=int, default=0)
    a = ap.parse_args()
    srv = Server(("127.0.0.1", a.port), Handler)
    srv.state = State()
    serve(srv, a.port_file)


if __name__ == "__main__":
    main()
