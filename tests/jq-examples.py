#!/usr/bin/env python3
"""Print every --jq filter in the README and the man pages, one per line
as JSON: {"where": "README.md:111", "verb": "th-timeline", "filter": "..."}. Used by
tests/0820-readme.t to run each one over every kind of record.

    jq-examples.py [--tricky] TOP FILE...

--tricky: then the filters that run differently over a page of records
than over one (tests/0635-jq-page.t), "where": "tricky", with "jq": false
when jq(1) itself gives another answer (it feeds input the next record,
prints debug, and stops at halt), so that only th's own
record-at-a-time run can say what is right."""
import json
import os
import re
import shlex
import sys

# (filter, does jq(1) print the same over the records one a line?)
TRICKY = [
    (".text | length", True),
    (".id, .text", True),                      # several results
    ("empty", True),                           # none
    ("select(.media_type == \"IMAGE\") | .id", True),   # none for most
    (".text | select(length > 1000)", True),
    ("if .media_type == \"IMAGE\" then error(\"an image: \\(.id)\") else .id end", True),
    ("if .media_type == \"VIDEO\" then error(null) else .id end", True),
    ("if .media_type == \"VIDEO\" then error({id}) else .text end", True),
    ("error(\"every one\")", True),
    ("error(null)", True),
    (".text | if test(\"coffee\") then error else length end", True),
    ("first(.[]?)", True),
    ("limit(1; .id, .text)", True),
    ("limit(0; .id)", True),
    ("[.id, .username, .text] | @csv", True),
    ("@csv", True),                            # fails on every record
    ("tojson", True),
    (".text | @json", True),
    ("[.id] | @sh", True),
    (".", True),
    (".[]", True),
    ("keys", True),
    (".. | numbers", True),
    (".missing.deeper", True),
    (".id | tonumber", True),
    # numbers as jq prints them: integers up to 10^15 are th's own digits
    ("(.text | length) as $n | $n, -$n, $n * 1e13, -(1e15 - $n), 1e15 - 1,"
     " 1e15, 1e15 + $n, -0, 0, 0.5 * $n, 1e300, -1e-5", True),
    ("try error(\"x\") catch .", True),
    ("label $f | .id, break $f, .text", True),
    ("reduce (.text | split(\" \")[]) as $w (0; . + 1)", True),
    ("def f: .id; f", True),
    (".id # a comment at the end", True),
    ("$__loc__", True),
    ("{id} | .id |= ascii_downcase", True),
    ("input", False),
    ("[., input] | length", False),
    ("input_line_number", False),
    ("debug | .id", False),
    ("if .media_type == \"IMAGE\" then halt else .id end", False),
]

tricky = len(sys.argv) > 1 and sys.argv[1] == "--tricky"
if tricky:
    del sys.argv[1]
top = sys.argv[1]
files = [os.path.join(top, "README.md")] + [os.path.join(top, a) for a in sys.argv[2:]]
for path in files:
    man = not path.endswith(".md")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        if "--jq" not in line:
            continue
        if man:
            if line.startswith("."):
                continue
            line = line.replace("\\e", "\\").replace("\\&", "")
        elif not (line.startswith("    ") or re.match(r"^[*0-9]", line)):
            continue	# prose, not a command
        try:
            lex = shlex.shlex(line, posix=True, punctuation_chars="|&;")
            lex.whitespace_split = True
            lex.commenters = ""
            words = list(lex)
        except ValueError:
            continue	# a line that goes on below: no whole filter here
        verb = ""
        for i, w in enumerate(words[:-1]):
            if i == 0 or words[i - 1] in ("|", "&&", ";", "$", "xargs"):
                verb = w
            if w == "--jq":
                print(json.dumps({"where": "%s:%d" % (os.path.relpath(path, top), n),
                                  "verb": verb, "filter": words[i + 1]}))
if tricky:
    for f, same in TRICKY:
        print(json.dumps({"where": "tricky", "verb": "", "filter": f, "jq": same}))
