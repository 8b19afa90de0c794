#!/usr/bin/env python3
"""sandbox: a faithful local fake of the Threads Graph API, for th's tests.

    python3 sandbox.py [--port-file FILE] [--seed N]

Binds 127.0.0.1 on a free port, prints "port N" on stdout (and writes N to
--port-file), serves HTTP/1.1 with keep-alive, one thread per connection.
Tokens it accepts come from the environment (SANDBOX_TOKEN, never argv) or
from POST /_control/token. Behaviour follows ../../../shared/threads-api.md:
string ids, +0000 timestamps, cursor paging with paging.next, the
container lifecycle, quotas, validation, the three error shapes, token
lifetimes on a clock tests can move.

Control endpoints (never logged, no token needed), JSON in and out:
  GET  /_control/log            requests received, NDJSON, oldest first
  POST /_control/log/clear
  POST /_control/fault          {"path": REGEX, "method": M, "times": N,
                                 "skip": N (matching requests let through first),
                                 "only_reused": true (only on a kept-alive connection),
                                 "status": S, "error": {envelope},
                                 "body": TEXT, "content_type": T,
                                 "retry_after": SECS, "delay": SECS,
                                 "drop": "before"|"after",
                                 "truncate": BYTES, "drip": SECS_PER_BYTE,
                                 "size": BYTES,
                                 "act": true (the request is carried out,
                                   then the fault answers instead)}
  POST /_control/faults/clear
  POST /_control/latency        {"ms": N}  added to every answer
  POST /_control/hold           {"path": REGEX}: API requests whose path
                                 matches wait, unanswered, until
                                 /_control/release (60 s at most): a test
                                 can act "before any answer" under any load
  POST /_control/release        the held requests go on; nothing is held
  POST /_control/clock          {"advance": SECS} or {"set": EPOCH}
  POST /_control/token          {"token", "user", "kind": short|long|app,
                                 "age": SECS, "expires_in": SECS,
                                 "scopes": [...], "valid": bool}
  POST /_control/seed           {"user": NAME|"me", "posts": N,
                                 "tag": T, "text": PREFIX,
                                 "shortcode": SC (every one of them)}
                                or {"oauth_code": C, "redirect_uri": U}
  POST /_control/reply          {"to": ID, "user": NAME|"me", "text": T,
                                 "ago": SECS, "approval": "pending"|
                                 "ignored" (held for approval)} -> {"id"}
  POST /_control/ghost          {"text": T, "ago": SECS}: a ghost post of
                                 yours -> {"id"}
  POST /_control/config         {"processing_delay": SECS,
                                 "quota_posts": N, ...,
                                 "publish_not_ready": SECS (24/4279009 for
                                   this long after FINISHED),
                                 "publish_stuck": N (the next N containers
                                   answer 24/4279009 for ever),
                                 "dev_mode": true (debug_token refuses a
                                   user token as the caller, code 100),
                                 "ig_linked": false (no Instagram account:
                                   a Stories share answers FAILED)}
  GET  /_control/state          counters and ids, for assertions
"""

import argparse
import base64
import json
import os
import random
import re
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GRAPH = "/v1.0"
DAY = 86400
LONG_LIFE = 60 * DAY
SHORT_LIFE = 3600
MIN_SINCE = 1688540400
APP_ID = "1234567890123456"
APP_SECRET_ENV = "SANDBOX_APP_SECRET"

POST_FIELDS = [
    "id", "media_product_type", "media_type", "media_url", "permalink",
    "owner", "username", "text", "timestamp", "shortcode", "thumbnail_url",
    "children", "is_quote_post", "quoted_post", "reposted_post", "alt_text",
    "link_attachment_url", "has_replies", "is_reply", "is_reply_owned_by_me",
    "root_post", "replied_to", "hide_status", "reply_audience", "gif_url",
    "poll_attachment", "topic_tag", "is_spoiler_media", "text_entities",
    "text_attachment", "location_id", "location", "allowlisted_country_codes",
    "is_verified", "profile_picture_url",
]
USER_FIELDS = ["id", "username", "name", "threads_profile_picture_url",
               "threads_biography", "is_verified", "recently_searched_keywords",
               "is_eligible_for_geo_gating"]
LIMIT_FIELDS = ["quota_usage", "config", "reply_quota_usage", "reply_config",
                "delete_quota_usage", "delete_config",
                "location_search_quota_usage", "location_search_config"]
PLACE_FIELDS = ["id", "name", "address", "city", "country", "latitude",
                "longitude", "postal_code"]
# location search's places (threads-api.md 12.4): two Springfields to be
# ambiguous, one place that is alone at its name
PLACES = [
    {"id": 7640348500, "name": "Meta HQ", "address": "1 Hacker Way",
     "city": "Menlo Park", "country": "USA", "latitude": 37.4848,
     "longitude": -122.1484, "postal_code": "94025"},
    {"id": 110843418940484, "name": "Springfield", "address": "",
     "city": "Springfield", "country": "USA", "latitude": 39.7817,
     "longitude": -89.6501, "postal_code": "62701"},
    {"id": 104089162959280, "name": "Springfield", "address": "",
     "city": "Springfield", "country": "USA", "latitude": 42.1015,
     "longitude": -72.5898, "postal_code": "01103"},
    {"id": 106078429431815, "name": "Ichiran Shibuya", "address": "1-22-7 Jinnan",
     "city": "Tokyo", "country": "Japan", "latitude": 35.6614,
     "longitude": 139.7006, "postal_code": "150-0041"},
]
MEDIA_METRICS = ["views", "likes", "replies", "reposts", "quotes", "shares"]
USER_METRICS = ["views", "likes", "replies", "reposts", "quotes", "clicks",
                "followers_count", "follower_demographics"]
REPLY_CONTROLS = ["everyone", "accounts_you_follow", "mentioned_only",
                  "parent_post_author_only", "followers_only"]
CONTAINER_ERRORS = ["FAILED_DOWNLOADING_VIDEO", "FAILED_PROCESSING_AUDIO",
                    "FAILED_PROCESSING_VIDEO", "INVALID_ASPEC_RATIO",
                    "INVALID_BIT_RATE", "INVALID_DURATION", "INVALID_FRAME_RATE",
                    "INVALID_AUDIO_CHANNELS", "INVALID_AUDIO_CHANNEL_LAYOUT",
                    "UNKNOWN"]

PROFILES = [
    # username, name, bio, language of seeded text, followers
    ("meta", "Meta", "Connect with what you love to make things happen. It\u2019s Your World.", "en", 3456789),
    ("ramen.tokyo", "\u30e9\u30fc\u30e1\u30f3\u6771\u4eac", "\u6771\u4eac\u306e\u30e9\u30fc\u30e1\u30f3\u3092\u98df\u3079\u6b69\u304f \U0001f35c", "ja", 48211),
    ("seoul.eats", "\uc11c\uc6b8 \ub9db\uc9d1", "\uc11c\uc6b8\uc758 \ub9db\uc9d1 \uae30\ub85d", "ko", 23019),
    ("orbit_daily", "Orbit Daily", "Space news, launches and the night sky \U0001f680", "en", 152003),
    ("emoji.bot", "Emoji Bot \U0001f916", "\U0001f600\U0001f44d\U0001f3fd\U0001f1ef\U0001f1f5", "emoji", 1204),
]
TAGS = ["release", "rustlang", "ramen", "space", "coffee", "\ub9db\uc9d1", "opensource"]
WORDS = {
    "en": ["launch", "today", "new", "release", "tonight", "orbit", "coffee",
           "notes", "build", "shipping", "community", "weekend", "update"],
    "ja": ["\u4eca\u65e5", "\u30e9\u30fc\u30e1\u30f3", "\u5473\u564c", "\u91a4\u6cb9",
           "\u65b0\u5e97", "\u884c\u5217", "\u7f8e\u5473\u3057\u3044", "\u6771\u4eac"],
    "ko": ["\uc624\ub298", "\ub9db\uc9d1", "\uc11c\uc6b8", "\ucd94\ucc9c", "\uce74\ud398",
           "\uc810\uc2ec", "\uc800\ub141", "\ud6c4\uae30"],
    "emoji": ["\U0001f600", "\U0001f44d\U0001f3fd", "\U0001f1ef\U0001f1f5",
              "\u2764\ufe0f", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f680",
              "ok", "yes"],
}
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(t))


def parse_time(v):
    """since/until: epoch seconds or a date (strtotime-like, the usual forms)."""
    v = v.strip()
    if re.fullmatch(r"-?\d+", v):
        return int(v)
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z",
                "%Y-%m-%d %H:%M:%S"):
        try:
            import datetime
            d = datetime.datetime.strptime(v, fmt)
            if d.tzinfo is None:
                d = d.replace(tzinfo=datetime.timezone.utc)
            return int(d.timestamp())
        except ValueError:
            pass
    return None


class ApiError(Exception):
    """An error the API would answer with; shape selects the envelope."""

    def __init__(self, status, message, code, subcode=None, etype="OAuthException",
                 transient=None, user_title=None, user_msg=None, shape="graph"):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.subcode = subcode
        self.etype = etype
        self.transient = transient
        self.user_title = user_title
        self.user_msg = user_msg
        self.shape = shape

    def body(self):
        if self.shape == "flat":
            return {"error_type": self.etype, "code": self.code,
                    "error_message": self.message}
        e = {"message": self.message, "type": self.etype, "code": self.code}
        if self.subcode is not None:
            e["error_subcode"] = self.subcode
        if self.transient is not None:
            e["is_transient"] = self.transient
        if self.user_title:
            e["error_user_title"] = self.user_title
        if self.user_msg:
            e["error_user_msg"] = self.user_msg
        e["fbtrace_id"] = "A" + "".join(random.choice(B64) for _ in range(22))
        return {"error": e}


def invalid_param(msg):
    return ApiError(400, msg, 100, etype="THApiException")


def no_object(oid, method="GET"):
    """The live 100/33 answer: no such object, or not this method on it
    (threads-error-100-33-unsupported-get-live.json)."""
    return ApiError(400, "Unsupported %s request. Object with ID '%s' does not exist, "
                    "cannot be loaded due to missing permissions, or does not support "
                    "this operation" % (method.lower(), oid), 100, 33,
                    etype="THApiException")


def wrong_method(method):
    """A token endpoint asked with a method it does not take (restfb #1450)."""
    return ApiError(400, "Unsupported request - method type: %s" % method.lower(), 100,
                    etype="THApiException")


class World:
    """All sandbox state, behind one lock."""

    def __init__(self, seed):
        self.lock = threading.RLock()
        self.rng = random.Random(seed)
        self.offset = 0.0
        self.fixed = None
        self.latency = 0.0
        self.hold = None     # a compiled path pattern, or None
        self.gate = threading.Event()
        self.log = []
        self.faults = []
        self.ids = set()
        self.posts = {}      # id -> post dict (all fields, internal keys _*)
        self.by_user = {}    # username -> [ids], newest first after sort
        self.gen = 0         # bumped when a post is made or deleted
        self._own = {}       # (username, replies) -> (gen, [ids])
        self.users = {}      # username -> user dict
        self.containers = {}
        self.tokens = {}
        self.codes = {}
        self.events = {"publish": [], "reply": [], "delete": [], "location": []}
        self.config = {"processing_delay": 0.0, "quota_posts": 250,
                       "quota_replies": 1000, "quota_deletes": 100,
                       "quota_location": 500}
        self.published = 0
        now = self.now()
        self.me = self.add_user("th_tester", "th tester", "Testing th \u2728", 321)
        for (u, name, bio, lang, fol) in PROFILES:
            self.add_user(u, name, bio, fol, lang=lang, verified=(u == "meta"))
        # own posts: 60, the last 60 days
        self.seed_posts("th_tester", 60, now - 3600)
        for (u, _n, _b, _l, _f) in PROFILES:
            self.seed_posts(u, 300, now - 600)
        self.seed_replies()
        tok = os.environ.get("SANDBOX_TOKEN")
        if tok:
            self.add_token(tok, "th_tester", "long", age=2 * DAY)

    # -- clock and ids --------------------------------------------------
    def now(self):
        if self.fixed is not None:
            return self.fixed
        return time.time() + self.offset

    def new_id(self, lo=17800000000000000, hi=18099999999999999):
        while True:
            i = str(self.rng.randint(lo, hi))
            if i not in self.ids:
                self.ids.add(i)
                return i

    def shortcode(self):
        return "D" + "".join(self.rng.choice(B64) for _ in range(10))

    # -- users, posts, tokens -------------------------------------------
    def add_user(self, username, name, bio, followers, lang="en", verified=False):
        u = {"id": self.new_id(17841400000000000, 17841499999999999),
             "username": username, "name": name,
             "threads_profile_picture_url":
                 "https://scontent-sjc3-1.cdninstagram.com/v/t51.2885-19/%s.jpg" % username,
             "threads_biography": bio, "is_verified": verified,
             "recently_searched_keywords": [],
             "is_eligible_for_geo_gating": False,
             "_followers": followers, "_lang": lang}
        self.users[username] = u
        self.by_user.setdefault(username, [])
        return u

    def user_by_id(self, uid):
        for u in self.users.values():
            if u["id"] == uid:
                return u
        return None

    def make_text(self, lang, i):
        r = self.rng
        words = WORDS.get(lang, WORDS["en"])
        sep = "" if lang == "ja" else " "
        t = sep.join(r.choice(words) for _ in range(r.randint(3, 12)))
        if r.random() < 0.2:
            t += " #" + r.choice(TAGS)
        if r.random() < 0.1:
            t += " https://example.com/%d" % i
        if r.random() < 0.05:
            t += " @th_tester"
        return t

    def new_post(self, username, t, text, media_type="TEXT_POST", extra=None):
        u = self.users[username]
        pid = self.new_id()
        sc = self.shortcode()
        p = {"id": pid, "media_product_type": "THREADS", "media_type": media_type,
             "permalink": "https://www.threads.com/@%s/post/%s" % (username, sc),
             "owner": {"id": u["id"]}, "username": username,
             "timestamp": ts(t), "shortcode": sc, "is_quote_post": False,
             "has_replies": False, "is_reply": False, "is_verified": u["is_verified"],
             "profile_picture_url": u["threads_profile_picture_url"],
             "reply_audience": "EVERYONE",
             "_t": t, "_seq": len(self.posts), "_replies": [],
             "_stats": {m: self.rng.randint(0, 5000) for m in MEDIA_METRICS}}
        if text:	# the API has no text field on a post without words
            p["text"] = text
        if extra:
            p.update(extra)
        self.posts[pid] = p
        self.by_user[username].append(pid)
        self.gen += 1
        return p

    def own(self, username, replies):
        """username's posts (replies=False) or replies, kept until a post
        is made or deleted: filtering 100,000 posts on every page was
        nine tenths of a page's time."""
        hit = self._own.get((username, replies))
        if hit is None or hit[0] != self.gen:
            ids = [p for p in self.by_user[username]
                   if bool(self.posts[p].get("is_reply")) == replies]
            hit = self._own[(username, replies)] = (self.gen, ids)
        return hit[1]

    def seed_posts(self, username, n, newest, tag=None, prefix=None):
        lang = self.users[username]["_lang"]
        t = newest
        made = []
        for i in range(n):
            text = self.make_text(lang, i) if prefix is None else "%s %d" % (prefix, i)
            extra = {}
            r = self.rng.random()
            if r < 0.1:
                extra = {"media_type": "IMAGE", "alt_text": "photo %d" % i,
                         "media_url": "https://scontent.cdninstagram.com/v/%d.jpg" % i}
            elif r < 0.13:
                extra = {"media_type": "VIDEO",
                         "media_url": "https://scontent.cdninstagram.com/v/%d.mp4" % i,
                         "thumbnail_url": "https://scontent.cdninstagram.com/v/%d_t.jpg" % i}
            tg = tag or (self.rng.choice(TAGS) if self.rng.random() < 0.4 else None)
            if tg:
                extra["topic_tag"] = tg
            p = self.new_post(username, int(t), text, extra=extra)
            made.append(p["id"])
            t -= self.rng.randint(600, 40000)
        return made

    def seed_replies(self):
        authors = list(self.users)
        targets = [pid for pid in list(self.posts) if self.rng.random() < 0.05]
        for pid in targets:
            root = self.posts[pid]
            for k in range(self.rng.randint(1, 4)):
                who = self.rng.choice(authors)
                self.add_reply(root, root, who, root["_t"] + 60 * (k + 1),
                               "reply %d \U0001f44d" % k)

    def add_reply(self, root, parent, username, t, text):
        r = self.new_post(username, int(t), text, extra={
            "is_reply": True, "root_post": {"id": root["id"]},
            "replied_to": {"id": parent["id"]}, "hide_status": "NOT_HUSHED",
            "_parent": parent["id"]})
        del r["owner"]
        parent["_replies"].append(r["id"])
        parent["has_replies"] = True
        return r

    def add_pending(self, parent, username, t, text, status="pending"):
        """A reply held for approval (threads-api.md 12.1): listed by
        the parent's pending_replies only, until approved."""
        r = self.add_reply(parent, parent, username, t, text)
        parent["_replies"].remove(r["id"])
        parent["has_replies"] = bool(parent["_replies"])
        parent.setdefault("_pending", []).append(r["id"])
        r["reply_approval_status"] = status
        return r

    def make_ghost(self, p):
        """Post p becomes a ghost post (12.2): archived a day after."""
        p["_ghost"] = True
        p["ghost_post_expiration_timestamp"] = ts(p["_t"] + DAY)
        self.ghost_status(p)

    def ghost_status(self, p):
        p["ghost_post_status"] = "ACTIVE" if self.now() < p["_t"] + DAY else "ARCHIVED"

    def add_token(self, token, username, kind="long", age=0, expires_in=None,
                  scopes=None, valid=True):
        now = self.now()
        if expires_in is None:
            expires_in = {"short": SHORT_LIFE, "long": LONG_LIFE}.get(kind)
        self.tokens[token] = {
            "user": username, "kind": kind, "issued": now - age,
            "expires": (now - age + expires_in) if expires_in else None,
            "scopes": scopes or ["threads_basic", "threads_content_publish",
                                 "threads_read_replies", "threads_manage_replies",
                                 "threads_manage_insights", "threads_keyword_search",
                                 "threads_manage_mentions", "threads_delete",
                                 "threads_profile_discovery",
                                 "threads_location_tagging",
                                 "threads_share_to_instagram"],
            "valid": valid}

    def mint_token(self, username, kind):
        tok = "THQVJ" + "".join(self.rng.choice(B64) for _ in range(60))
        self.add_token(tok, username, kind)
        return tok


# -- request handling ----------------------------------------------------

def pick(obj, fields):
    out = {}
    for f in fields:
        if f in obj and not f.startswith("_"):
            out[f] = obj[f]
    return out


def want_fields(params, default):
    f = params.get("fields")
    if not f:
        return default
    names = []
    depth = 0
    cur = ""
    for ch in f:   # fields may carry expansions: poll_attachment{option_a,…}
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            names.append(cur.strip())
            cur = ""
            continue
        if depth == 0 and ch != "}":
            cur += ch
    if cur.strip():
        names.append(cur.strip())
    return names


def encode_cursor(i):
    return base64.urlsafe_b64encode(("off:%d" % i).encode()).decode().rstrip("=")


def decode_cursor(c):
    try:
        s = base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)).decode()
        if s.startswith("off:"):
            return int(s[4:])
    except Exception:
        pass
    raise invalid_param("Invalid cursor: %s" % c[:40])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sandbox/1"
    sys_version = ""
    # headers and body go out in two writes: with Nagle on, a kept-alive
    # connection waited 40 ms for the client's delayed ACK on every answer
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):   # quiet
        pass

    # -- plumbing -------------------------------------------------------
    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send_raw(self, status, body, ctype="application/json; charset=UTF-8",
                 headers=None, truncate=None, drip=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if truncate is not None:
            self.wfile.write(body[:truncate])
            self.wfile.flush()
            self.close_hard()
            return
        if drip:
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(drip)
            return
        self.wfile.write(body)

    def send_json(self, status, obj, headers=None, **kw):
        if isinstance(obj, RawJSON):
            body = str(obj)
        else:
            body = json.dumps(obj, ensure_ascii=False)
        self.send_raw(status, body.encode("utf-8"), headers=headers, **kw)

    def close_hard(self):
        """Reset the connection (RST, not FIN), as a dying proxy would."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError:
            pass
        self.close_connection = True
        try:
            self.connection.close()
        except OSError:
            pass

    def handle_any(self, method):
        w = self.server.world
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        raw = self.read_body()
        if path.startswith("/_control/"):
            return self.control(method, path, raw)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        form = {}
        ctype = self.headers.get("Content-Type", "")
        if raw and "application/x-www-form-urlencoded" in ctype:
            form = dict(urllib.parse.parse_qsl(raw.decode("utf-8", "replace"),
                                               keep_blank_values=True))
        params = dict(query)
        params.update(form)
        auth = self.headers.get("Authorization", "")
        entry = {"seq": 0, "time": w.now(), "method": method, "path": path,
                 "query": query, "form": form,
                 "bearer": auth.startswith("Bearer "),
                 "token_in_url": "access_token" in query,
                 "token_in_form": "access_token" in form,
                 "ctype": ctype.split(";")[0].strip(),
                 "conn": "%s:%d" % self.client_address[:2],
                 "user_agent": self.headers.get("User-Agent", "")}
        reused = getattr(self, "_served", 0) > 0
        self._served = getattr(self, "_served", 0) + 1
        entry["reused"] = reused
        with w.lock:
            entry["seq"] = len(w.log) + 1
            w.log.append(entry)
            fault = self.take_fault(method, path, reused)
        if w.latency:
            time.sleep(w.latency)
        hold = w.hold
        if hold is not None and hold.search(path):
            w.gate.wait(60)
        if fault and fault.get("drop") == "before":
            return self.close_hard()
        if fault and fault.get("delay"):
            time.sleep(fault["delay"])
        if fault and ("status" in fault or "body" in fault or "error" in fault
                      or "size" in fault) and fault.get("drop") != "after" \
                and not fault.get("act"):
            return self.send_fault(fault)
        try:
            with w.lock:
                status, obj = self.route(method, path, params, auth)
        except ApiError as e:
            status, obj = e.status, e.body()
        except Exception as e:   # a bug in the sandbox: say so loudly
            import traceback
            traceback.print_exc()
            status, obj = 599, {"sandbox_bug": str(e)}
        if fault and fault.get("drop") == "after":
            return self.close_hard()
        if fault and fault.get("act"):      # done, but answered as an error
            return self.send_fault(fault)
        headers = {}
        kw = {}
        if fault:
            if "truncate" in fault:
                kw["truncate"] = fault["truncate"]
            if "drip" in fault:
                kw["drip"] = fault["drip"]
        self.send_json(status, obj, headers=headers, **kw)

    def take_fault(self, method, path, reused=False):
        w = self.server.world
        for f in w.faults:
            if f.get("method") and f["method"] != method:
                continue
            if f.get("only_reused") and not reused:
                continue
            if not re.search(f.get("path", ""), path):
                continue
            if f.get("skip", 0) > 0:       # let this many through first
                f["skip"] -= 1
                continue
            f["_hits"] = f.get("_hits", 0) + 1
            if f.get("times", 1) > 0:
                f["times"] = f.get("times", 1) - 1
                if f["times"] == 0:
                    w.faults.remove(f)
            return f
        return None

    def send_fault(self, f):
        headers = {}
        if "retry_after" in f:
            headers["Retry-After"] = str(f["retry_after"])
        status = f.get("status", 200)
        kw = {}
        if "truncate" in f:
            kw["truncate"] = f["truncate"]
        if "drip" in f:
            kw["drip"] = f["drip"]
        if "size" in f:
            body = b'{"data":["' + b"x" * f["size"] + b'"]}'
            return self.send_raw(status, body, headers=headers, **kw)
        if "error" in f:
            return self.send_json(status, {"error": f["error"]}, headers=headers, **kw)
        body = f.get("body", "")
        if isinstance(body, str):
            body = body.encode("utf-8")
        return self.send_raw(status, body, ctype=f.get("content_type", "application/json"),
                             headers=headers, **kw)

    # -- control --------------------------------------------------------
    def control(self, method, path, raw):
        w = self.server.world
        try:
            arg = json.loads(raw) if raw else {}
        except ValueError:
            return self.send_json(400, {"error": "bad JSON"})
        with w.lock:
            if path == "/_control/log" and method == "GET":
                body = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in w.log)
                return self.send_raw(200, body.encode(), ctype="application/x-ndjson")
            if path == "/_control/log/clear":
                w.log.clear()
            elif path == "/_control/fault":
                w.faults.append(arg)
            elif path == "/_control/faults/clear":
                w.faults.clear()
            elif path == "/_control/latency":
                w.latency = arg.get("ms", 0) / 1000.0
            elif path == "/_control/hold":
                w.gate.clear()
                w.hold = re.compile(arg.get("path", ""))
            elif path == "/_control/release":
                w.hold = None
                w.gate.set()
            elif path == "/_control/clock":
                if "set" in arg:
                    w.fixed = float(arg["set"])
                elif "advance" in arg:
                    if w.fixed is not None:
                        w.fixed += float(arg["advance"])
                    else:
                        w.offset += float(arg["advance"])
            elif path == "/_control/token":
                w.add_token(arg["token"], arg.get("user", "th_tester"),
                            arg.get("kind", "long"), arg.get("age", 0),
                            arg.get("expires_in"), arg.get("scopes"),
                            arg.get("valid", True))
            elif path == "/_control/seed":
                if "oauth_code" in arg:
                    w.codes[arg["oauth_code"]] = {
                        "user": arg.get("user", "th_tester"),
                        "redirect_uri": arg.get("redirect_uri", ""),
                        "issued": w.now()}
                else:
                    user = arg.get("user", "me")
                    if user == "me":
                        user = w.me["username"]
                    if user not in w.users:
                        w.add_user(user, user, "", arg.get("followers", 5000))
                    ids = w.seed_posts(user, int(arg.get("posts", 0)),
                                       w.now() - 60, tag=arg.get("tag"),
                                       prefix=arg.get("text"))
                    if "shortcode" in arg:
                        # a shortcode shared by every seeded post: what a
                        # permalink resolver must call ambiguous
                        for i in ids:
                            p = w.posts[i]
                            p["shortcode"] = arg["shortcode"]
                            p["permalink"] = "https://www.threads.com/@%s/post/%s" % (
                                user, arg["shortcode"])
                    return self.send_json(200, {"ids": ids[:5], "count": len(ids)})
            elif path == "/_control/reply":
                parent = w.posts.get(str(arg.get("to")))
                if parent is None:
                    return self.send_json(404, {"error": "no such post"})
                user = arg.get("user", "meta")
                user = w.me["username"] if user == "me" else user
                t = int(w.now() - arg.get("ago", 60))
                text = arg.get("text", "a reply")
                if arg.get("approval"):
                    r = w.add_pending(parent, user, t, text, arg["approval"])
                else:
                    r = w.add_reply(parent, parent, user, t, text)
                return self.send_json(200, {"id": r["id"]})
            elif path == "/_control/ghost":
                p = w.new_post(w.me["username"], int(w.now() - arg.get("ago", 60)),
                               arg.get("text", "a ghost post"))
                w.make_ghost(p)
                return self.send_json(200, {"id": p["id"]})
            elif path == "/_control/config":
                w.config.update(arg)
            elif path == "/_control/state":
                me = w.me["username"]
                return self.send_json(200, {
                    "me": {"id": w.me["id"], "username": me},
                    "own_posts": len([p for p in w.by_user[me]
                                      if not w.posts[p].get("is_reply")]),
                    "published": w.published,
                    "containers": len(w.containers),
                    "faults": [dict((k, v) for k, v in f.items()) for f in w.faults],
                    "now": w.now()})
            else:
                return self.send_json(404, {"error": "no such control"})
        return self.send_json(200, {"ok": True})

    # -- the API --------------------------------------------------------
    def token_of(self, params, auth):
        w = self.server.world
        tok = None
        if auth.startswith("Bearer "):
            tok = auth[7:].strip()
        elif "access_token" in params:
            tok = params["access_token"]
        if not tok:
            raise ApiError(400, "An active access token must be used to query "
                           "information about the current user.", 190, etype="OAuthException")
        self.token = tok
        t = w.tokens.get(tok)
        if t is None or not t["valid"]:
            # the verified quirk: an invalid token is answered with HTTP 500
            raise ApiError(500, "Invalid OAuth 2.0 Access Token", 190, etype="THApiException")
        if t["expires"] is not None and w.now() >= t["expires"]:
            raise ApiError(400, "Error validating access token: Session has expired on %s. "
                           "The current time is %s." % (ts(t["expires"]), ts(w.now())),
                           190, 463)
        return tok, t

    def require(self, t, scope):
        if scope not in t["scopes"]:
            raise ApiError(500, "Application does not have permission for this action",
                           10, etype="OAuthException")

    def route(self, method, path, params, auth):
        w = self.server.world
        # unversioned token endpoints
        if path == "/oauth/access_token":
            return self.oauth_token(method, params)
        if path == "/access_token":
            return self.exchange(method, params, auth)
        if path == "/refresh_access_token":
            return self.refresh(method, params, auth)
        if not path.startswith(GRAPH + "/"):
            if path.startswith("/v1.0") or path == "/":
                raise invalid_param("Unknown path components: %s" % path)
            raise ApiError(400, "Unsupported request - method type: %s" % method.lower(),
                           100, etype="THApiException")
        parts = [p for p in path[len(GRAPH):].split("/") if p]
        if parts[:1] in (["access_token"], ["refresh_access_token"], ["oauth"]):
            # the token endpoints are unversioned (restfb #1450)
            raise wrong_method(method)
        if parts == ["debug_token"]:
            return self.debug_token(method, params, auth)
        if parts == ["oembed"]:
            # no token needed since 2026-03-03 (threads-api.md 12.11); one
            # given must still be good (UNCONFIRMED)
            if auth or "access_token" in params:
                self.token_of(params, auth)
            return self.oembed(method, params)
        tok, t = self.token_of(params, auth)
        me = w.users[t["user"]]
        if t["kind"] == "app" and parts != ["oembed"]:
            raise ApiError(400, "A user access token is required", 190)
        if not parts:
            raise invalid_param("Unsupported request")
        head = parts[0]
        if head == "keyword_search" and method == "GET":
            self.require(t, "threads_keyword_search")
            return self.keyword_search(params, me)
        if head == "location_search" and method == "GET":
            self.require(t, "threads_location_tagging")
            return self.location_search(params)
        if head == "profile_lookup" and method == "GET":
            self.require(t, "threads_profile_discovery")
            return self.profile_lookup(params)
        if head == "profile_posts" and method == "GET":
            self.require(t, "threads_profile_discovery")
            return self.profile_posts(params)
        # /{me|user-id}/...
        if head == "me" or head == me["id"]:
            if len(parts) == 1 and method == "GET":
                return 200, pick(me, want_fields(params, ["id"]))
            edge = parts[1] if len(parts) > 1 else ""
            return self.user_edge(method, edge, params, me, t)
        if w.user_by_id(head) is not None or head in w.users:
            raise no_object(head)
        # /{media-id}[/edge]
        edge = parts[1] if len(parts) > 1 else ""
        return self.media(method, head, edge, params, me, t)

    # -- users ----------------------------------------------------------
    def user_edge(self, method, edge, params, me, t):
        w = self.server.world
        uname = me["username"]
        if edge == "threads" and method == "GET":
            return self.page(w.own(uname, False), params, ["id"])
        if edge == "replies" and method == "GET":
            self.require(t, "threads_read_replies")
            return self.page(w.own(uname, True), params, ["id"])
        if edge == "ghost_posts" and method == "GET":
            # threads_basic only (12.2); the status follows the clock
            ids = [p for p in w.by_user[uname] if w.posts[p].get("_ghost")]
            for i in ids:
                w.ghost_status(w.posts[i])
            return self.page(ids, params, ["id"])
        if edge == "mentions" and method == "GET":
            self.require(t, "threads_manage_mentions")
            ids = [p["id"] for p in w.posts.values()
                   if ("@" + uname) in p.get("text", "") and p["username"] != uname]
            return self.page(ids, params, ["id"])
        if edge == "threads" and method == "POST":
            self.require(t, "threads_content_publish")
            if "location_id" in params:    # tagging needs its scope (12.4)
                self.require(t, "threads_location_tagging")
                if not re.fullmatch(r"[0-9]+", params["location_id"]):
                    raise invalid_param("Param location_id must be a valid location id")
            ig = [k for k in ("crossreshare_to_ig", "crossreshare_to_ig_dark_mode")
                  if k in params]
            if ig:      # share to IG Stories: its scope, one of the two (12.9)
                self.require(t, "threads_share_to_instagram")
                if any(params[k] not in ("true", "false") for k in ig):
                    raise invalid_param("Param %s must be a boolean" % ig[0])
                if len(ig) > 1:
                    raise invalid_param("Send crossreshare_to_ig or "
                                        "crossreshare_to_ig_dark_mode, not both")
            st, body = self.create_container(params, me)
            if any(params[k] == "true" for k in ig):
                # the docs' example answers it at creation (UNCONFIRMED);
                # a profile without a linked Instagram account gets FAILED
                # and the post is published all the same
                body = dict(body, crossreshare_to_ig_status="SUCCESS" if
                            w.config.get("ig_linked", True) else "FAILED")
            return st, body
        if edge == "threads_publish" and method == "POST":
            self.require(t, "threads_content_publish")
            return self.publish(params, me)
        if edge == "threads_publishing_limit" and method == "GET":
            return self.publishing_limit(params, t)
        if edge == "threads_insights" and method == "GET":
            self.require(t, "threads_manage_insights")
            return self.user_insights(params, me)
        raise ApiError(400, "Unsupported %s request. Object with ID 'me' does not "
                       "support this operation" % method.lower(), 100, 33,
                       etype="THApiException")

    def check_attachment(self, mt, ta, params):
        """text_attachment's rules (threads-api.md 12.6)."""
        if not isinstance(ta, dict) or not ta.get("plaintext"):
            raise invalid_param("text_attachment needs plaintext")
        if mt != "TEXT" or "poll_attachment" in params:
            raise invalid_param("A text attachment goes on a TEXT post without a poll")
        link = ta.get("link_attachment_url")
        if link is not None:
            if "link_attachment" in params:
                raise invalid_param("text_attachment link_attachment_url and "
                                    "link_attachment do not go together")
            if not re.match(r"https?://\S+$", link, re.I):
                raise invalid_param("text_attachment link_attachment_url must be a URL")
        units = len(ta["plaintext"].encode("utf-16-le")) // 2   # UNCONFIRMED unit
        spans = []
        for r in ta.get("text_with_styling_info", []):
            try:
                off, ln, st = int(r["offset"]), int(r["length"]), r["styling_info"]
            except (ValueError, TypeError, KeyError):
                raise invalid_param("text_with_styling_info: {offset, length, styling_info}")
            if off < 0 or ln < 1 or off + ln > units or not st or any(
                    x not in ("bold", "italic", "highlight", "underline",
                              "strikethrough") for x in st):
                raise invalid_param("text_with_styling_info: a range inside the "
                                    "plaintext with known styles")
            if any(off < e and b < off + ln for (b, e) in spans):
                raise invalid_param("text_with_styling_info ranges must not overlap")
            spans.append((off, off + ln))

    def location_search(self, params):
        """q, or latitude with longitude, or all three (12.4); not paged."""
        w = self.server.world
        q = params.get("q", "")
        lat, lon = params.get("latitude"), params.get("longitude")
        if (lat is None) != (lon is None):
            raise invalid_param("latitude and longitude go together")
        if not q and lat is None:
            raise invalid_param("The parameter q or latitude and longitude is required")
        try:
            la, lo = (float(lat), float(lon)) if lat is not None else (0.0, 0.0)
        except ValueError:
            raise invalid_param("latitude and longitude are numbers")
        if not (-90 <= la <= 90 and -180 <= lo <= 180):
            raise invalid_param("latitude or longitude out of range")
        fields = want_fields(params, ["id"])
        for f in fields:
            if f not in PLACE_FIELDS:
                raise ApiError(400, "Tried accessing nonexisting field (%s)" % f, 100,
                               etype="THApiException")
        self.quota("location", w.config["quota_location"])
        w.events["location"].append(w.now())
        hits = [pl for pl in PLACES
                if (not q or q.lower() in pl["name"].lower() or
                    q.lower() == pl["city"].lower()) and
                (lat is None or (abs(pl["latitude"] - la) < 0.5 and
                                 abs(pl["longitude"] - lo) < 0.5))]
        return 200, {"data": [pick(pl, fields) for pl in hits]}

    def profile_lookup(self, params):
        w = self.server.world
        name = params.get("username", "").lstrip("@").lower()
        u = w.users.get(name)
        if not name:
            raise invalid_param("The parameter username is required")
        if u is None or u["_followers"] < 1000:
            raise ApiError(400, "The requested user could not be found or is not public",
                           100, etype="THApiException")
        ids = w.by_user[name]
        st = [w.posts[i]["_stats"] for i in ids[:20]]
        return 200, {
            "username": u["username"], "name": u["name"],
            "profile_picture_url": u["threads_profile_picture_url"],
            "biography": u["threads_biography"], "is_verified": u["is_verified"],
            "follower_count": u["_followers"],
            "likes_count": sum(s["likes"] for s in st),
            "quotes_count": sum(s["quotes"] for s in st),
            "replies_count": sum(s["replies"] for s in st),
            "reposts_count": sum(s["reposts"] for s in st),
            "views_count": sum(s["views"] for s in st)}

    def profile_posts(self, params):
        w = self.server.world
        name = params.get("username", "").lstrip("@").lower()
        if not name:
            raise invalid_param("The parameter username is required")
        u = w.users.get(name)
        if u is None or u["_followers"] < 1000:
            raise ApiError(400, "The requested user could not be found or is not public",
                           100, etype="THApiException")
        return self.page(w.own(name, False), params, ["id"], drop=("owner",))

    # -- lists and paging -----------------------------------------------
    def page(self, ids, params, default, drop=(), order=None):
        w = self.server.world
        if "before" in params and "after" in params:
            raise invalid_param("Cannot specify both before and after cursors")
        try:
            limit = int(params.get("limit", "25"))
        except ValueError:
            raise invalid_param("Param limit must be a non-negative integer")
        if limit < 0 or limit > 100:
            raise invalid_param("Param limit must be a number between 0 and 100")
        since = until = None
        if "since" in params:
            since = parse_time(params["since"])
            if since is None or since < MIN_SINCE:
                raise invalid_param("Param since must be a timestamp on or after %d"
                                    % MIN_SINCE)
        if "until" in params:
            until = parse_time(params["until"])
            if until is None:
                raise invalid_param("Param until must be a timestamp")
        if since is not None and until is not None and since >= until:
            raise invalid_param("Param since must be before until")
        # sorting 100,000 posts for every page made long reads crawl:
        # the sorted list is kept while nothing changes
        key = (len(ids), ids[0] if ids else None, ids[-1] if ids else None,
               len(w.posts))
        cache = getattr(w, "_page_cache", None)
        if order is None and cache is not None and cache[0] == key:
            posts = cache[1]
        else:
            posts = [w.posts[i] for i in ids if i in w.posts]
            if order is None:
                posts.sort(key=lambda p: (p["_t"], p["_seq"]), reverse=True)
                w._page_cache = (key, posts)
        if since is not None:
            posts = [p for p in posts if p["_t"] >= since]
        if until is not None:
            posts = [p for p in posts if p["_t"] <= until]
        start = 0
        if "after" in params:
            start = decode_cursor(params["after"])
        elif "before" in params:
            start = max(0, decode_cursor(params["before"]) - limit)
        chunk = posts[start:start + limit]
        fields = [f for f in want_fields(params, default) if f not in drop]
        out = {"data": [pick(p, fields) for p in chunk]}
        if chunk:
            paging = {"cursors": {"before": encode_cursor(start),
                                  "after": encode_cursor(start + len(chunk))}}
            if start + len(chunk) < len(posts):
                q = {k: v for k, v in params.items() if k not in ("after", "before")}
                q["after"] = encode_cursor(start + len(chunk))
                q["access_token"] = self.token   # real next URLs carry it in clear
                host = self.headers.get("Host", "127.0.0.1")
                paging["next"] = "http://%s%s?%s" % (
                    host, urllib.parse.urlsplit(self.path).path, urllib.parse.urlencode(q))
            if start > 0:
                q = {k: v for k, v in params.items() if k not in ("after", "before")}
                q["before"] = encode_cursor(start)
                host = self.headers.get("Host", "127.0.0.1")
                paging["previous"] = "http://%s%s?%s" % (
                    host, urllib.parse.urlsplit(self.path).path, urllib.parse.urlencode(q))
            out["paging"] = paging
        return 200, out

    def keyword_search(self, params, me):
        w = self.server.world
        q = params.get("q", "")
        if not q:
            raise invalid_param("The parameter q is required")
        mode = params.get("search_mode", "KEYWORD")
        stype = params.get("search_type", "TOP")
        if mode not in ("KEYWORD", "TAG"):
            raise invalid_param("Param search_mode must be one of {KEYWORD, TAG}")
        if stype not in ("TOP", "RECENT"):
            raise invalid_param("Param search_type must be one of {TOP, RECENT}")
        mt = params.get("media_type")
        if mt and mt not in ("TEXT", "IMAGE", "VIDEO"):
            raise invalid_param("Param media_type must be one of {TEXT, IMAGE, VIDEO}")
        author = params.get("author_username", "").lstrip("@").lower()
        ql = q.lower()
        res = []
        for p in w.posts.values():
            if p.get("is_reply"):
                continue
            if mode == "TAG":
                tag = ql.lstrip("#")
                if (p.get("topic_tag", "").lower() != tag and
                        ("#" + tag) not in p.get("text", "").lower()):
                    continue
            elif ql not in p.get("text", "").lower():
                continue
            if author and p["username"] != author:
                continue
            if mt:
                kind = {"TEXT_POST": "TEXT"}.get(p["media_type"], p["media_type"])
                if kind != mt:
                    continue
            res.append(p)
        if stype == "TOP":
            res.sort(key=lambda p: (p["_stats"]["likes"], p["_seq"]), reverse=True)
        else:
            res.sort(key=lambda p: (p["_t"], p["_seq"]), reverse=True)
        me.setdefault("recently_searched_keywords", []).insert(
            0, {"query": q, "timestamp": int(w.now() * 1000)})
        return self.page([p["id"] for p in res], params, ["id"], drop=("owner",),
                         order="given")

    # -- media ----------------------------------------------------------
    def media(self, method, mid, edge, params, me, t):
        w = self.server.world
        if mid in w.containers and not edge:
            c = w.containers[mid]
            if method != "GET":
                raise no_object(mid, method)
            self.settle(c)
            fields = want_fields(params, ["id"])
            out = {}
            for f in fields:
                if f == "id":
                    out["id"] = c["id"]
                elif f == "status":
                    out["status"] = c["status"]
                elif f == "error_message":
                    if c["status"] == "ERROR":
                        out["error_message"] = c["error_message"]
                else:
                    raise ApiError(400, "Tried accessing nonexisting field (%s) on node "
                                   "type (ThreadsMediaContainer)" % f, 100,
                                   etype="THApiException")
            return 200, out
        p = w.posts.get(mid)
        if p is None:
            raise no_object(mid)
        mine = p["username"] == me["username"]
        if not edge:
            if method == "GET":
                fields = want_fields(params, ["id"])
                for f in fields:
                    if f in ("status", "error_message"):
                        raise ApiError(400, "Tried accessing nonexisting field (%s) on "
                                       "node type (ThreadsMedia)" % f, 100,
                                       etype="THApiException")
                out = pick(p, fields)
                if not mine:
                    out.pop("owner", None)
                if "children" in fields and p.get("_children"):
                    out["children"] = {"data": [{"id": c} for c in p["_children"]]}
                return 200, out
            if method == "DELETE":
                self.require(t, "threads_delete")
                if not mine:
                    raise ApiError(400, "You can only delete your own posts", 10)
                self.quota("delete", w.config["quota_deletes"])
                w.events["delete"].append(w.now())
                del w.posts[mid]
                w.by_user[p["username"]].remove(mid)
                w.gen += 1
                return 200, {"success": True, "deleted_id": mid}
        if edge == "replies" and method == "GET":
            self.require(t, "threads_read_replies")
            ids = list(p["_replies"])
            return self.tree_page(ids, params)
        if edge == "conversation" and method == "GET":
            self.require(t, "threads_read_replies")
            ids = []
            stack = list(p["_replies"])
            while stack:
                r = stack.pop(0)
                ids.append(r)
                stack.extend(w.posts[r]["_replies"] if r in w.posts else [])
            return self.tree_page(ids, params)
        if edge == "manage_reply" and method == "POST":
            self.require(t, "threads_manage_replies")
            if not p.get("is_reply"):
                raise invalid_param("Only replies can be hidden")
            root = w.posts.get(p["root_post"]["id"])
            if root is None or root["username"] != me["username"]:
                raise ApiError(400, "You can only manage replies to your own posts", 10)
            if p["replied_to"]["id"] != p["root_post"]["id"]:
                raise invalid_param("Only top-level replies can be hidden")
            hide = params.get("hide")
            if hide not in ("true", "false"):
                raise invalid_param("Param hide must be a boolean")
            p["hide_status"] = "HIDDEN" if hide == "true" else "UNHUSHED"
            return 200, {"success": True}
        if edge == "pending_replies" and method == "GET":
            # 12.1: reverse, approval_status (case-sensitive; none: both),
            # cursors; no since/until, as the other reply edges
            self.require(t, "threads_read_replies")
            if not mine:
                raise ApiError(400, "You can only see pending replies to your "
                               "own posts", 10)
            st = params.get("approval_status")
            if st is not None and st not in ("pending", "ignored"):
                raise invalid_param("Param approval_status must be one of "
                                    "{pending, ignored}")
            if params.get("reverse", "true") not in ("true", "false"):
                raise invalid_param("Param reverse must be a boolean")
            ids = [i for i in p.get("_pending", []) if i in w.posts and
                   (st is None or w.posts[i].get("reply_approval_status") == st)]
            return self.tree_page(ids, params)
        if edge == "manage_pending_reply" and method == "POST":
            # 12.1: approve=true publishes, false ignores (an ignored
            # reply can be approved later); errors UNCONFIRMED
            self.require(t, "threads_manage_replies")
            if p.get("reply_approval_status") not in ("pending", "ignored"):
                raise invalid_param("The reply is not pending approval")
            root = w.posts.get(p["root_post"]["id"])
            if root is None or root["username"] != me["username"]:
                raise ApiError(400, "You can only manage replies to your own posts", 10)
            ap = params.get("approve")
            if ap not in ("true", "false"):
                raise invalid_param("Param approve must be a boolean")
            if ap == "true":
                del p["reply_approval_status"]
                root["_pending"].remove(mid)
                root["_replies"].append(mid)
                root["has_replies"] = True
            else:
                p["reply_approval_status"] = "ignored"
            return 200, {"success": True}
        if edge == "repost" and method == "POST":
            self.require(t, "threads_content_publish")
            self.quota("publish", w.config["quota_posts"])
            w.events["publish"].append(w.now())
            r = w.new_post(me["username"], int(w.now()), "", media_type="REPOST_FACADE",
                           extra={"reposted_post": {"id": mid}})
            return 200, {"id": r["id"]}
        if edge == "insights" and method == "GET":
            self.require(t, "threads_manage_insights")
            return self.media_insights(p, params)
        raise no_object(mid, method)

    def tree_page(self, ids, params):
        """A post's replies or conversation: reverse, cursors, fields and
        limit; since and until are not documented there, so they are not
        obeyed (a client that relies on them gets everything)."""
        w = self.server.world
        params = dict((k, v) for k, v in params.items() if k not in ("since", "until"))
        rev = params.get("reverse", "true")
        posts = [w.posts[i] for i in ids if i in w.posts]
        posts.sort(key=lambda p: (p["_t"], p["_seq"]), reverse=(rev != "false"))
        return self.page([p["id"] for p in posts], params, ["id"], order="given")

    def media_insights(self, p, params):
        metrics = [m for m in params.get("metric", "").split(",") if m]
        if not metrics:
            raise invalid_param("The parameter metric is required")
        for m in metrics:
            if m not in MEDIA_METRICS:
                raise ApiError(500, "An unknown error has occurred.", 1,
                               etype="OAuthException")
        if p["media_type"] == "REPOST_FACADE":
            return 200, {"data": []}
        data = []
        for m in metrics:
            name = {"replies": "thread_replies"}.get(m, m)
            data.append({"name": m, "period": "lifetime",
                         "values": [{"value": p["_stats"][m]}],
                         "title": m.capitalize(),
                         "description": "The number of %s on your post." % m,
                         "id": "%s/insights/%s/lifetime" % (p["id"], name)})
        return 200, {"data": data}

    def user_insights(self, params, me):
        w = self.server.world
        metrics = [m for m in params.get("metric", "").split(",") if m]
        if not metrics:
            raise invalid_param("The parameter metric is required")
        now = int(w.now())
        since = parse_time(params["since"]) if "since" in params else now - 2 * DAY
        until = parse_time(params["until"]) if "until" in params else now
        if since is None or until is None or since < 1712991600 or since >= until:
            raise invalid_param("Invalid since/until: since must be >= 1712991600 and "
                                "before until")
        data = []
        own = [w.posts[i] for i in w.by_user[me["username"]]]
        for m in metrics:
            if m not in USER_METRICS:
                raise invalid_param("metric[%d] must be one of the following values: %s"
                                    % (metrics.index(m), ", ".join(USER_METRICS)))
            base = {"name": m, "title": m.replace("_", " ").capitalize(),
                    "description": "Account %s" % m, "id": "%s/insights/%s/%s" % (
                        me["id"], m, "day" if m == "views" else "lifetime")}
            if m == "views":
                vals = []
                d = since - since % DAY
                while d < until:
                    rr = random.Random(int(me["id"][-6:]) + d)
                    vals.append({"value": rr.randint(0, 900),
                                 "end_time": ts(d + DAY).replace("+0000", "+0000")})
                    d += DAY
                base.update({"period": "day", "values": vals})
            elif m == "clicks":
                base.update({"period": "lifetime", "link_total_values": [
                    {"value": 17, "link_url": "https://example.com/1"},
                    {"value": 3, "link_url": "https://example.com/2"}]})
            elif m == "follower_demographics":
                bd = params.get("breakdown")
                if bd not in ("country", "city", "age", "gender"):
                    raise invalid_param("follower_demographics needs one breakdown: "
                                        "country, city, age or gender")
                vals = {"age": ["18-24", "25-34", "35-44"], "gender": ["F", "M", "U"],
                        "country": ["US", "JP", "KR"], "city": ["Tokyo", "Seoul", "Paris"]}[bd]
                base.update({"period": "lifetime", "total_value": {"breakdowns": [{
                    "dimension_keys": [bd], "results": [
                        {"dimension_values": [v], "value": 10 * (i + 1)}
                        for i, v in enumerate(vals)]}]}})
            elif m == "followers_count":
                base.update({"period": "day", "total_value": {"value": me["_followers"]}})
            else:
                base.update({"period": "day", "total_value": {
                    "value": sum(p["_stats"].get(m, 0) for p in own)}})
            data.append(base)
        return 200, {"data": data}

    def oembed(self, method, params):
        """GET /oembed without a token: the permalink forms of the docs,
        maxwidth 320..658, 1,000 requests an hour (config quota_oembed)."""
        w = self.server.world
        if method != "GET":
            raise wrong_method(method)
        url = params.get("url")
        if not url:
            raise invalid_param("The parameter url is required")
        m = re.match(r"^https://(?:www\.)?threads\.(?:com|net)/"
                     r"(?:@([A-Za-z0-9._]{1,30})/post|t)/([A-Za-z0-9_-]+)/?$", url)
        if m is None:
            raise invalid_param("Invalid URL: %s is not a Threads post" % url)
        if "maxwidth" in params:
            mw = params["maxwidth"]
            if not mw.isdigit() or not 320 <= int(mw) <= 658:
                raise invalid_param("maxwidth must be between 320 and 658")
        now = w.now()
        calls = [c for c in getattr(w, "oembed_calls", []) if c > now - 3600]
        if len(calls) >= w.config.get("quota_oembed", 1000):
            raise ApiError(400, "Application request limit reached", 4, transient=True)
        calls.append(now)
        w.oembed_calls = calls
        hit = [p for p in w.posts.values() if p.get("shortcode") == m.group(2) and
               (m.group(1) is None or p["username"] == m.group(1).lower())]
        if not hit:
            raise invalid_param("Invalid URL: the post does not exist or cannot be "
                                "embedded")
        p = hit[0]
        return 200, {"type": "rich", "version": "1.0",
                     "html": '<blockquote class="text-post-media" '
                             'data-text-post-permalink="%s" data-text-post-version="0">'
                             '<a href="%s">Post by @%s</a></blockquote>'
                             '<script async src="https://www.threads.com/embed.js"></script>'
                             % (p["permalink"], p["permalink"], p["username"]),
                     "provider_name": "Threads", "provider_url": "https://www.threads.com/",
                     "width": int(params.get("maxwidth", 658))}

    # -- publishing -----------------------------------------------------
    def quota(self, kind, total):
        w = self.server.world
        now = w.now()
        ev = w.events[kind]
        ev[:] = [t for t in ev if t > now - DAY]
        if len(ev) >= total:
            raise ApiError(400, "Application request limit reached", 4,
                           2207051 if kind == "publish" else None, transient=True,
                           user_title="Posting limit reached",
                           user_msg="You have reached the %s limit for the last 24 hours."
                           % kind)

    def settle(self, c):
        w = self.server.world
        if c["status"] == "IN_PROGRESS" and w.now() >= c["ready_at"]:
            c["status"] = "ERROR" if c.get("error_message") else "FINISHED"
            c["finished_at"] = max(w.now(), c["ready_at"])
        if c["status"] in ("IN_PROGRESS", "FINISHED") and w.now() >= c["created"] + DAY:
            c["status"] = "EXPIRED"

    def check_2025(self, mt, text, params):
        """The 2025-2026 container parameters (threads-api.md 12.1-12.5):
        the docs' rules; where the API's answer is UNCONFIRMED (TENOR, what
        a ghost post may not carry) refused as th refuses them."""
        for k in ("is_ghost_post", "enable_reply_approvals"):
            if k in params and params[k] not in ("true", "false"):
                raise invalid_param("Param %s must be a boolean" % k)
        if params.get("is_ghost_post") == "true":
            if mt != "TEXT" or "reply_to_id" in params:
                raise invalid_param("Ghost posts must be TEXT posts and cannot be replies")
            if params.get("enable_reply_approvals") == "true":
                raise invalid_param("Reply approvals are not allowed on ghost posts")
            other = set(params) & {"poll_attachment", "gif_attachment", "link_attachment",
                                   "text_attachment", "topic_tag", "location_id",
                                   "quote_post_id", "auto_publish_text", "reply_control",
                                   "allowlisted_country_codes", "crossreshare_to_ig",
                                   "crossreshare_to_ig_dark_mode"}
            if other:
                raise invalid_param("The only feature supported with ghost posts is "
                                    "text spoilers, not %s" % ", ".join(sorted(other)))
        if "gif_attachment" in params:
            try:
                gif = json.loads(params["gif_attachment"])
                gid, prov = gif["gif_id"], gif["provider"]
            except (ValueError, TypeError, KeyError):
                raise invalid_param("Param gif_attachment must be a JSON object with "
                                    "gif_id and provider")
            if prov != "GIPHY":
                raise invalid_param("Param gif_attachment provider must be GIPHY "
                                    "(Tenor support ended 2026-03-31)")
            if mt != "TEXT" or not isinstance(gid, str) or not gid:
                raise invalid_param("GIF attachments are for TEXT posts, with a gif_id")
        if "text_entities" in params:
            if params.get("is_carousel_item") == "true":
                raise invalid_param("Spoilers go on the carousel, not on its items")
            try:
                ents = json.loads(params["text_entities"])
                spans = [(e["entity_type"], int(e["offset"]), int(e["length"]))
                         for e in ents]
            except (ValueError, TypeError, KeyError):
                raise invalid_param("Param text_entities must be a JSON list of "
                                    "{entity_type, offset, length}")
            if len(spans) > 10:
                raise invalid_param("A post may have at most 10 text entities")
            units = len(text.encode("utf-16-le")) // 2   # UNCONFIRMED: UTF-16
            for et, off, n in spans:
                if et not in ("SPOILER", "spoiler") or off < 0 or n < 1:
                    raise invalid_param("Text entities are SPOILER, offset >= 0, "
                                        "length >= 1")
                if off + n > units:
                    raise invalid_param("InputOutOfBounds: a text entity runs past "
                                        "the text")

    def create_container(self, params, me):
        w = self.server.world
        mt = params.get("media_type")
        if mt not in ("TEXT", "IMAGE", "VIDEO", "CAROUSEL"):
            raise invalid_param("Param media_type must be one of {TEXT, IMAGE, VIDEO, "
                                "CAROUSEL}")
        text = params.get("text", "")
        if len(text) > 0:
            from_len = text_length(text)
            if from_len > 500:
                raise invalid_param("Param text must be at most 500 characters long")
        if mt == "TEXT" and not text and "link_attachment" not in params \
                and "text_attachment" not in params:
            raise invalid_param("Param text is required for TEXT posts")
        links = set(u.lower().rstrip(".,;:!?)") for u in
                    re.findall(r"(?:https?://|www\.)\S+", text, re.I))
        for k in ("link_attachment",):
            if k in params:
                links.add(params[k].lower())
        try:    # the attachment's link counts too (12.16)
            tal = json.loads(params.get("text_attachment", "{}")).get("link_attachment_url")
        except (ValueError, AttributeError):
            tal = None
        if tal:
            links.add(tal.lower())
        if len(links) > 5:
            raise ApiError(400, "THREADS_API__LINK_LIMIT_EXCEEDED: a post may contain at "
                           "most 5 links", 100, etype="THApiException")
        if mt == "IMAGE" and not params.get("image_url"):
            raise invalid_param("Param image_url is required for IMAGE")
        if mt == "VIDEO" and not params.get("video_url"):
            raise invalid_param("Param video_url is required for VIDEO")
        if "alt_text" in params and len(params["alt_text"]) > 1000:
            raise invalid_param("Param alt_text must be at most 1000 characters long")
        if "topic_tag" in params:
            tg = params["topic_tag"]
            if not 1 <= len(tg) <= 50 or "." in tg or "&" in tg:
                raise invalid_param("Param topic_tag must be 1-50 characters without . or &")
        if "reply_control" in params and params["reply_control"] not in REPLY_CONTROLS:
            raise invalid_param("Param reply_control must be one of {%s}"
                                % ", ".join(REPLY_CONTROLS))
        if "poll_attachment" in params:
            try:
                poll = json.loads(params["poll_attachment"])
                opts = [poll[k] for k in ("option_a", "option_b", "option_c", "option_d")
                        if k in poll]
            except (ValueError, TypeError, KeyError):
                raise invalid_param("Param poll_attachment must be a JSON object")
            if mt != "TEXT" or not 2 <= len(opts) <= 4 or \
                    any(not 1 <= len(o) <= 25 for o in opts):
                raise invalid_param("Polls need 2-4 options of 1-25 characters, TEXT only")
        if "text_attachment" in params:
            try:
                ta = json.loads(params["text_attachment"])
            except ValueError:
                raise invalid_param("Param text_attachment must be JSON")
            if len(ta.get("plaintext", "")) > 10000:
                raise invalid_param("text_attachment plaintext is at most 10000 characters")
            self.check_attachment(mt, ta, params)
        self.check_2025(mt, text, params)
        reply_to = params.get("reply_to_id")
        if reply_to and reply_to not in w.posts:
            raise ApiError(500, "Invalid parameter", 100, etype="THApiException",
                           user_title="Invalid reply_to_id",
                           user_msg="The post you are replying to does not exist.")
        children = []
        if mt == "CAROUSEL":
            children = [c for c in params.get("children", "").split(",") if c]
            if not 2 <= len(children) <= 20:
                raise invalid_param("A carousel needs 2 to 20 children")
            for cid in children:
                cc = w.containers.get(cid)
                if cc is None or not cc.get("is_carousel_item"):
                    raise invalid_param("Child %s is not a carousel item container" % cid)
        if "quote_post_id" in params and params["quote_post_id"] not in w.posts:
            raise no_object(params["quote_post_id"])
        cid = w.new_id()
        delay = 0.0 if mt == "TEXT" else float(w.config.get("processing_delay", 0))
        c = {"id": cid, "status": "IN_PROGRESS", "media_type": mt, "params": dict(params),
             "created": w.now(), "ready_at": w.now() + delay, "owner": me["username"],
             "is_carousel_item": params.get("is_carousel_item") == "true",
             "children": children}
        url = params.get("image_url") or params.get("video_url") or ""
        m = re.search(r"sandbox_error=([A-Z_]+)", url)
        if m:
            c["error_message"] = m.group(1) if m.group(1) in CONTAINER_ERRORS else "UNKNOWN"
        if w.config.get("publish_stuck", 0) > 0 and not c["is_carousel_item"]:
            w.config["publish_stuck"] -= 1
            c["stuck"] = True           # 24/4279009 for ever (LongevityWorldCup #815)
        w.containers[cid] = c
        self.settle(c)
        if params.get("auto_publish_text") == "true":
            if mt != "TEXT":
                raise invalid_param("auto_publish_text is for TEXT posts only")
            return self.publish({"creation_id": cid}, me)
        return 200, {"id": cid}

    def publish(self, params, me):
        w = self.server.world
        cid = params.get("creation_id", "")
        c = w.containers.get(cid)
        if c is None or c["owner"] != me["username"]:
            raise media_not_found(cid)
        self.settle(c)
        if c["status"] == "PUBLISHED":
            raise ApiError(400, "The media has already been published", 100,
                           etype="THApiException")
        for ch in c["children"]:
            self.settle(w.containers[ch])
        if c["status"] != "FINISHED" or any(w.containers[ch]["status"] != "FINISHED"
                                             for ch in c["children"]):
            raise media_not_found(cid)
        # FINISHED is not publishable yet: seen for seconds (postiz #2047),
        # and for some containers for ever (LongevityWorldCup #815)
        if c.get("stuck") or \
                w.now() < c["finished_at"] + float(w.config.get("publish_not_ready", 0)):
            raise media_not_found(cid)
        prm = c["params"]
        reply_to = prm.get("reply_to_id")
        if reply_to:
            self.quota("reply", w.config["quota_replies"])
        else:
            self.quota("publish", w.config["quota_posts"])
        mtype = {"TEXT": "TEXT_POST", "CAROUSEL": "CAROUSEL_ALBUM"}.get(c["media_type"],
                                                                       c["media_type"])
        extra = {}
        for k in ("topic_tag", "alt_text", "location_id"):
            if k in prm:
                extra[k] = prm[k]
        if "location_id" in prm:        # the place itself, its id a string here
            place = [pl for pl in PLACES if str(pl["id"]) == prm["location_id"]]
            extra["location"] = dict(place[0] if place else {}, id=prm["location_id"])
        if "text_attachment" in prm:    # read back as the object (12.6)
            extra["text_attachment"] = json.loads(prm["text_attachment"])
        if "link_attachment" in prm:
            extra["link_attachment_url"] = prm["link_attachment"]
        if "reply_control" in prm:
            extra["reply_audience"] = prm["reply_control"].upper()
        if prm.get("is_spoiler_media") == "true":
            extra["is_spoiler_media"] = True
        if "quote_post_id" in prm:
            extra["is_quote_post"] = True
            extra["quoted_post"] = {"id": prm["quote_post_id"]}
        if "poll_attachment" in prm:
            poll = json.loads(prm["poll_attachment"])
            pa = dict(poll)
            for k in list(poll):
                pa[k + "_votes_percentage"] = 0.0
            pa["total_votes"] = 0
            pa["expiration_timestamp"] = ts(w.now() + DAY)
            extra["poll_attachment"] = pa
        if "image_url" in prm or "video_url" in prm:
            extra["media_url"] = prm.get("image_url") or prm.get("video_url")
        if c["children"]:
            extra["_children"] = list(c["children"])
        if "allowlisted_country_codes" in prm:
            extra["allowlisted_country_codes"] = prm["allowlisted_country_codes"].split(",")
        if "gif_attachment" in prm:     # read back as gif_url only (12.3)
            extra["gif_url"] = "https://media2.giphy.com/media/%s/200.gif" % \
                json.loads(prm["gif_attachment"])["gif_id"]
        if "text_entities" in prm:      # an edge when read (12.5, threads-go 97c0832)
            extra["text_entities"] = {"data": [
                {"entity_type": "SPOILER", "offset": int(e["offset"]),
                 "length": int(e["length"])} for e in json.loads(prm["text_entities"])]}
        if prm.get("enable_reply_approvals") == "true":
            extra["_reply_approvals"] = True    # replies to it are held (12.1)
        if reply_to:
            parent = w.posts[reply_to]
            root = w.posts.get(parent.get("root_post", {}).get("id"), parent)
            p = w.add_reply(root, parent, me["username"], int(w.now()), prm.get("text", ""))
            p["is_reply_owned_by_me"] = True
            p.update(extra)
            w.events["reply"].append(w.now())
        else:
            p = w.new_post(me["username"], int(w.now()), prm.get("text", ""),
                           media_type=mtype, extra=extra)
            w.events["publish"].append(w.now())
            if prm.get("is_ghost_post") == "true":
                w.make_ghost(p)
        c["status"] = "PUBLISHED"
        c["media_id"] = p["id"]
        w.published += 1
        return 200, {"id": p["id"]}

    def publishing_limit(self, params, t):
        w = self.server.world
        now = w.now()
        fields = want_fields(params, ["quota_usage"])

        def used(kind):
            return len([t for t in w.events[kind] if t > now - DAY])
        full = {"quota_usage": used("publish"),
                "config": {"quota_total": w.config["quota_posts"], "quota_duration": DAY},
                "reply_quota_usage": used("reply"),
                "reply_config": {"quota_total": w.config["quota_replies"],
                                 "quota_duration": DAY},
                "delete_quota_usage": used("delete"),
                "delete_config": {"quota_total": w.config["quota_deletes"],
                                  "quota_duration": DAY},
                "location_search_quota_usage": used("location"),
                "location_search_config": {"quota_total": w.config["quota_location"],
                                           "quota_duration": DAY}}
        for f in fields:
            if f not in LIMIT_FIELDS:
                raise ApiError(400, "Tried accessing nonexisting field (%s)" % f, 100,
                               etype="THApiException")
        # the reply_* fields need threads_manage_replies, delete_* need
        # threads_delete (threads-api.md §2.9); refused as code 10, HTTP 500
        for f in fields:
            need = {"reply": "threads_manage_replies",
                    "delete": "threads_delete",
                    "location": "threads_location_tagging"}.get(f.split("_")[0])
            if need:
                self.require(t, need)
        return 200, {"data": [{f: full[f] for f in fields}]}

    # -- tokens ---------------------------------------------------------
    def app_secret(self):
        return os.environ.get(APP_SECRET_ENV, "sandbox-app-secret")

    def oauth_token(self, method, params):
        w = self.server.world
        gt = params.get("grant_type")
        if gt == "client_credentials":
            if params.get("client_id") != APP_ID or params.get("client_secret") != self.app_secret():
                raise ApiError(400, "Error validating client secret.", 1, shape="flat")
            tok = "TH|%s|%s" % (APP_ID, "".join(w.rng.choice(B64) for _ in range(27)))
            w.add_token(tok, w.me["username"], "app")
            return 200, {"access_token": tok, "token_type": "bearer"}
        if method != "POST":
            raise ApiError(400, "Unsupported request - method type: get", 100,
                           etype="THApiException")
        if gt != "authorization_code":
            raise ApiError(400, "Invalid grant_type", 400, shape="flat")
        if params.get("client_id") != APP_ID:
            raise ApiError(400, "Invalid platform app", 400, shape="flat")
        if params.get("client_secret") != self.app_secret():
            raise ApiError(400, "Error validating client secret.", 400, shape="flat")
        code = params.get("code", "")
        c = w.codes.pop(code, None)
        if c is None or w.now() > c["issued"] + 3600:
            raise ApiError(400, "Matching code was not found or was already used", 400,
                           shape="flat")
        if c["redirect_uri"] and params.get("redirect_uri") != c["redirect_uri"]:
            raise ApiError(400, "Error validating verification code. Please make sure "
                           "your redirect_uri is identical to the one you used in the "
                           "OAuth dialog request", 400, shape="flat")
        tok = w.mint_token(c["user"], "short")
        uid = int(w.users[c["user"]]["id"])
        # user_id is a bare JSON number above 2^53, as the real endpoint sends it
        return 200, RawJSON('{"access_token": "%s", "user_id": %d}' % (tok, uid))

    def exchange(self, method, params, auth):
        """GET /access_token?grant_type=th_exchange_token&client_secret=…&
        access_token=… (docs, sample app, pythreads); POST is refused, as on
        Instagram's twin endpoint. The token as a Bearer header alone is
        unconfirmed: accepted."""
        w = self.server.world
        if method != "GET":
            raise wrong_method(method)
        if params.get("grant_type") != "th_exchange_token":
            raise invalid_param("Param grant_type must be th_exchange_token")
        if params.get("client_secret") != self.app_secret():
            raise ApiError(400, "Error validating client secret.", 1)
        tok, t = self.token_of(params, auth)
        if t["kind"] != "short":
            raise invalid_param("Only short-lived tokens can be exchanged")
        new = w.mint_token(t["user"], "long")
        return 200, {"access_token": new, "token_type": "bearer", "expires_in": LONG_LIFE}

    def refresh(self, method, params, auth):
        """GET /refresh_access_token?grant_type=th_refresh_token&access_token=…
        (every client puts the token in the query; a Bearer header alone is
        unconfirmed: accepted)."""
        w = self.server.world
        if method != "GET":
            raise wrong_method(method)
        if params.get("grant_type") != "th_refresh_token":
            raise invalid_param("Param grant_type must be th_refresh_token")
        tok, t = self.token_of(params, auth)
        if t["kind"] != "long":
            raise invalid_param("Only long-lived tokens can be refreshed")
        if w.now() - t["issued"] < DAY:
            raise invalid_param("Long-lived tokens can be refreshed once they are at "
                                "least 24 hours old")
        new = w.mint_token(t["user"], "long")
        w.tokens[tok]["valid"] = False
        return 200, {"access_token": new, "token_type": "bearer", "expires_in": LONG_LIFE}

    def debug_token(self, method, params, auth):
        """GET /v1.0/debug_token?input_token=…; the caller (access_token or
        Bearer) is a user token of the app, or the app token TH|id|secret.
        With dev_mode a user token as the caller is refused, code 100, as
        Meta does for apps in development mode (threads-go #28)."""
        w = self.server.world
        if method != "GET":
            raise no_object("debug_token", method)
        caller = auth[7:].strip() if auth.startswith("Bearer ") else \
            params.get("access_token", "")
        if caller == "TH|%s|%s" % (APP_ID, self.app_secret()) or \
                w.tokens.get(caller, {}).get("kind") == "app":
            pass
        else:
            _tok, _t = self.token_of(params, auth)
            if w.config.get("dev_mode"):
                raise ApiError(400, "The app associated with this request is in dev "
                               "mode", 100, etype="OAuthException")
        if "input_token" not in params:
            raise invalid_param("The parameter input_token is required")
        it = params.get("input_token", "")
        t = w.tokens.get(it)
        if t is None:
            raise ApiError(400, "Invalid OAuth access token - Cannot parse access token",
                           190)
        u = w.users[t["user"]]
        exp = int(t["expires"]) if t["expires"] else 0
        valid = t["valid"] and (not exp or w.now() < exp)
        return 200, {"data": {"type": "APP" if t["kind"] == "app" else "USER",
                              "application": "th sandbox",
                              "data_access_expires_at": int(t["issued"] + 90 * DAY),
                              "expires_at": exp, "is_valid": valid,
                              "issued_at": int(t["issued"]), "scopes": t["scopes"],
                              "user_id": u["id"]}}


def media_not_found(cid):
    return ApiError(400, "The requested resource does not exist", 24, 4279009,
                    transient=False, user_title="Media Not Found",
                    user_msg="The media with id %s cannot be found." % cid)


class RawJSON(str):
    """A body already serialised: big integers stay exact."""


def text_length(s):
    """Threads' rule: emoji count their UTF-8 bytes (same approximation as th)."""
    n = 0
    for ch in s:
        cp = ord(ch)
        if cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF:
            n += len(ch.encode("utf-8"))
        elif 0x300 <= cp <= 0x36F or 0xFE00 <= cp <= 0xFE0F or cp == 0x200D:
            n += 0 if cp < 0xFE00 else len(ch.encode("utf-8"))
        else:
            n += 1
    return n


class Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: fifty connections at once
    # lost SYNs and waited out the 1 s retransmission; real servers do not
    request_queue_size = 256
    daemon_threads = True
    allow_reuse_address = True


def serve(srv, port_file):
    """Report the port (atomically, in port_file) and serve until killed."""
    port = srv.server_address[1]
    if port_file:
        tmp = port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, port_file)
    print("port %d" % port, flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    srv = Server(("127.0.0.1", a.port), Handler)
    srv.world = World(a.seed)
    serve(srv, a.port_file)


if __name__ == "__main__":
    main()
