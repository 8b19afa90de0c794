#!/usr/bin/env python3
"""Print every --jq filter in the README and the man pages, one per line
as JSON: {"where": "README.md:111", "verb": "th-timeline", "filter": "..."}. Used by
tests/0820-readme.t to run each one over every kind of record."""
import json
import os
import re
import shlex
import sys

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
