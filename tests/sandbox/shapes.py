#!/usr/bin/env python3
"""shapes: check the sandbox's request log against the request-shape table.

    python3 shapes.py [--coverage] [-v] TABLE [LOG]    (LOG: standard input)

TABLE is tests/data/request-shapes.json: a list of rows, one per kind of
request th sends, each saying what the live API (its docs or a client
known to work against it) accepts:

  name      a short name
  method    GET, POST or DELETE
  path      an anchored regular expression (^...$) for the URL path
  params    "query" (parameters in the URL, no body) or "form" (an
            application/x-www-form-urlencoded body, nothing in the URL)
  allowed   the parameter names the row accepts
  required  the names that must be there (a subset of allowed)
  values    {name: [value, ...]}: the only values name may take
  lists     {name: [item, ...]}: a comma-separated list of these items
  range     {name: [lo, hi]}: an integer, lo <= n <= hi (null: no bound)
  token     "bearer": an Authorization: Bearer header and no access_token
            parameter anywhere; "query": access_token in the query string
            and no Authorization header; "none": neither
  source    where the shape comes from: doc pages, client files

LOG is the sandbox's /_control/log, NDJSON. Each entry (control paths are
skipped) must fit a row: method and path match, every parameter in the
row's place under an allowed name, the required ones present, the values
and the content type right, the token where the row puts it. An entry is
counted for the first row it fits, so specific rows go before general ones.

For each entry that fits no row one line is printed, "unmatched:", with
the row that came nearest and why it refused the entry. Only parameter
names are printed, never a value: values hold tokens and secrets. With
--coverage, every row no entry fitted is printed, "unexercised:"; with -v,
every entry that fits, "fits:", with its row and parameter names.
Exit 1 when an entry fits no row, 2 for a bad table or log, else 0.
"""

import json
import re
import sys

FORM = "application/x-www-form-urlencoded"
KEYS = {"name", "method", "path", "params", "allowed", "required", "values",
        "lists", "range", "token", "source", "note"}


def die(msg):
    sys.stderr.write("shapes: %s\n" % msg)
    sys.exit(2)


def load_table(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        die("%s: %s" % (path, e))
    rows = doc.get("rows") if isinstance(doc, dict) else doc
    if not isinstance(rows, list) or not rows:
        die("%s: no rows" % path)
    names = set()
    for i, r in enumerate(rows):
        where = "%s: row %d (%s)" % (path, i + 1, r.get("name", "?"))
        for k in ("name", "method", "path", "params", "allowed", "required",
                  "token", "source"):
            if k not in r:
                die("%s: no %s" % (where, k))
        if set(r) - KEYS:
            die("%s: unknown keys %s" % (where, ", ".join(sorted(set(r) - KEYS))))
        if r["name"] in names:
            die("%s: a second row of that name" % where)
        names.add(r["name"])
        if r["method"] not in ("GET", "POST", "DELETE"):
            die("%s: method %s" % (where, r["method"]))
        if not (r["path"].startswith("^") and r["path"].endswith("$")):
            die("%s: the path is not anchored" % where)
        try:
            r["_re"] = re.compile(r["path"])
        except re.error as e:
            die("%s: path: %s" % (where, e))
        if r["params"] not in ("query", "form"):
            die("%s: params %s" % (where, r["params"]))
        if r["token"] not in ("bearer", "query", "none"):
            die("%s: token %s" % (where, r["token"]))
        if not r["source"]:
            die("%s: no source" % where)
        allowed = set(r["allowed"])
        if not set(r["required"]) <= allowed:
            die("%s: required names that are not allowed" % where)
        for k in ("values", "lists", "range"):
            if not set(r.get(k, {})) <= allowed:
                die("%s: %s for names that are not allowed" % (where, k))
        has_tok = "access_token" in allowed
        if (r["token"] == "query") != has_tok or \
                (r["token"] == "query" and "access_token" not in r["required"]):
            die("%s: access_token must be a required name exactly when "
                "the token goes in the query" % where)
        if r["token"] == "query" and r["params"] != "query":
            die("%s: a token in the query needs params in the query" % where)
    return rows


def showpath(p):
    """The path, with any segment that could be a secret left out."""
    return "/".join(s if re.fullmatch(r"[A-Za-z0-9_.-]{0,64}", s) else "<...>"
                    for s in p.split("/"))


def names(ns):
    return ", ".join(sorted(ns))


def isint(v):
    return isinstance(v, str) and re.fullmatch(r"-?[0-9]{1,19}", v) is not None


def refusals(row, e):
    """Why row refuses entry e: a list of reasons, [] when it fits."""
    why = []
    if not row["_re"].search(e.get("path", "")):
        why.append("the path does not match %s" % row["path"])
    if e.get("method") != row["method"]:
        why.append("method %s, the row wants %s" % (e.get("method"), row["method"]))
    query = e.get("query") or {}
    form = e.get("form") or {}
    ctype = e.get("ctype") or ""
    if row["params"] == "query":
        params, other, place = query, form, "the body"
        if ctype:
            why.append("a body (%s): the row wants no body" % ctype)
    else:
        params, other, place = form, query, "the query string"
        if ctype != FORM:
            why.append("content type %s, the row wants %s" % (ctype or "none", FORM))
    if other:
        why.append("parameters in %s: %s" % (place, names(other)))
    allowed = set(row["allowed"])
    extra = set(params) - allowed
    if extra:
        why.append("names the row does not allow in the %s: %s"
                   % (row["params"], names(extra)))
    missing = set(row["required"]) - set(params) - {"access_token"}  # see the token
    if missing:
        why.append("required names missing from the %s: %s"
                   % (row["params"], names(missing)))
    for k, vals in row.get("values", {}).items():
        if k in params and params[k] not in vals:
            why.append("%s: a value the row does not allow" % k)
    for k, items in row.get("lists", {}).items():
        if k in params and not all(x in items for x in params[k].split(",")):
            why.append("%s: an item the row does not allow" % k)
    for k, (lo, hi) in row.get("range", {}).items():
        if k in params:
            v = params[k]
            if not isint(v) or (lo is not None and int(v) < lo) or \
                    (hi is not None and int(v) > hi):
                why.append("%s: not an integer in %s..%s" % (k, lo, hi))
    bearer = bool(e.get("bearer"))
    inurl = bool(e.get("token_in_url")) or "access_token" in query
    inform = bool(e.get("token_in_form")) or "access_token" in form
    if row["token"] == "bearer":
        if not bearer:
            why.append("no Authorization: Bearer header")
        if inurl or inform:
            why.append("an access_token parameter besides the header")
    elif row["token"] == "query":
        if bearer:
            why.append("an Authorization header: the row wants the token "
                       "only in the query")
        if not inurl:
            why.append("no access_token in the query")
        if inform:
            why.append("an access_token in the body")
    else:
        if bearer:
            why.append("an Authorization header: the row wants no token")
        if inurl or inform:
            why.append("an access_token parameter: the row wants no token")
    return why


def distance(why):
    d = 0
    for w in why:
        d += 100 if w.startswith("the path") else 10 if w.startswith("method") else 1
    return d


def main(argv):
    coverage = verbose = False
    args = []
    for a in argv[1:]:
        if a == "--coverage":
            coverage = True
        elif a == "-v":
            verbose = True
        elif a.startswith("-") and a != "-":
            die("usage: shapes.py [--coverage] [-v] TABLE [LOG]")
        else:
            args.append(a)
    if len(args) not in (1, 2):
        die("usage: shapes.py [--coverage] [-v] TABLE [LOG]")
    rows = load_table(args[0])
    f = sys.stdin if len(args) == 1 or args[1] == "-" else open(args[1], encoding="utf-8")
    used = dict((r["name"], 0) for r in rows)
    bad = 0
    for n, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            e = json.loads(line)
        except ValueError:
            die("log line %d is not JSON" % n)
        if not isinstance(e, dict) or "path" not in e:
            die("log line %d is not a request" % n)
        if e["path"].startswith("/_control"):
            continue
        best = None
        for r in rows:
            why = refusals(r, e)
            if not why:
                used[r["name"]] += 1
                if verbose:
                    print("fits: #%s %s %s: row \"%s\" (%s: %s)" % (
                        e.get("seq", n), e["method"], showpath(e["path"]), r["name"],
                        r["params"], names(set(e.get("query") or {}) |
                                           set(e.get("form") or {}))))
                best = None
                break
            if best is None or distance(why) < distance(best[1]):
                best = (r, why)
        else:
            bad += 1
            r, why = best
            head = "unmatched: #%s %s %s" % (e.get("seq", n), e.get("method"),
                                             showpath(e["path"]))
            if any(w.startswith("the path") for w in why):
                print("%s: no row for this path (nearest \"%s\": %s)"
                      % (head, r["name"], "; ".join(why)))
            else:
                print("%s: row \"%s\" refuses it: %s" % (head, r["name"], "; ".join(why)))
    if coverage:
        for r in rows:
            if used[r["name"]] == 0:
                print("unexercised: row \"%s\" (%s %s)" % (r["name"], r["method"], r["path"]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
