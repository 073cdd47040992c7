#!/usr/bin/env python3
"""test_grammar.py - the VS Code extension's TextMate grammar against every
model file in the tests and the example project.

    test_grammar.py SRCDIR

Each file is tokenized with the grammar (tests/editors/textmate.py, which
also proves every expression compiles) and compared with what c7gen's
scanner would see, read here by a small tokenizer of the language's
lexical rules:

  - no unterminated scopes: after each declaration's closing brace the
    grammar has no rule open, and at the end of the file none is;
  - every token is highlighted as its class: comments as comment, strings
    as string, numbers as number (or inside a type), quoted names as names,
    reserved words as keywords, operators as operators, a column's type
    as a type and its name as a member (other names, as in expressions,
    are plain text);
  - every token class of the grammar is used by some file (a rule that
    matches nothing is dead).

The package's other files are checked too: package.json and the language
configuration parse and point at files that exist, and extension.js parses
(with node, when it is installed; no packages are installed for this).
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from c7lex import lex, model_files, parses  # noqa: E402
from textmate import Grammar  # noqa: E402

SRC = sys.argv[1] if len(sys.argv) > 1 else "."
EXT = os.path.join(SRC, "editors", "vscode")
RESERVED = {"table", "enum", "primary", "foreign", "references", "unique", "index",
            "check", "constraint", "default", "not", "null", "true", "false"}
ITEM_WORDS = {"primary", "unique", "index", "check", "foreign", "constraint", "exclude"}

failures = []


def fail(msg):
    failures.append(msg)


def scopes_of_file(grammar, text):
    """Per character scopes, and the grammar's open rules at each line end."""
    state = grammar.initial()
    scopes, open_at_line_end = [], []
    for line in text.split("\n"):
        s, state = grammar.tokenize_line(line, state)
        scopes.extend(s)
        scopes.append(grammar.scopes_of(state))  # the line end
        open_at_line_end.append(len(state))
    return scopes, open_at_line_end, state


def has(scopes, *prefixes):
    return any(s.startswith(p) for s in scopes for p in prefixes)


def column_tokens(text, toks):
    """The (name, type) token pairs of column lines: in a table body, a
    line whose first word is no item keyword and is followed by a word."""
    out = []
    depth, table = 0, False
    line_start = True
    for k, (kind, a, b) in enumerate(toks):
        word = text[a:b].lower()
        if kind == "punct" and word == "{":
            depth += 1
            table = depth == 1 and any(text[x:y].lower() == "table"
                                       for _, x, y in toks[max(0, k - 8):k])
        elif kind == "punct" and word == "}":
            depth -= 1
        prev_end = toks[k - 1][2] if k else 0
        line_start = depth == 1 and ("\n" in text[prev_end:a] or toks[k - 1][0] == "punct"
                                     and text[toks[k - 1][1]] in "{;")
        if (table and line_start and kind in ("word", "quoted") and word not in ITEM_WORDS
                and not (word == "comment" and k + 1 < len(toks) and toks[k + 1][0] == "string")
                and k + 1 < len(toks) and toks[k + 1][0] in ("word", "quoted")
                and "\n" not in text[b:toks[k + 1][1]]):
            out.append((toks[k], toks[k + 1]))
    return out


def check_file(grammar, path, used):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    scopes, open_at, final = scopes_of_file(grammar, text)
    rel = os.path.relpath(path, SRC)
    for s in scopes:
        used.update(x for x in s if x != grammar.scope)
    if final:
        fail("%s: scopes left open at the end: %s" % (rel, [r.name for r, _ in final]))
    toks = lex(text)
    # After each declaration's closing brace, nothing is open.
    depth = 0
    closes = set()  # lines whose last code token closes a declaration
    for kind, a, b in toks:
        line = text.count("\n", 0, a)
        if kind != "comment":
            closes.discard(line)
        if kind == "punct" and text[a] in "{}":
            depth += 1 if text[a] == "{" else -1
            if depth == 0 and text[a] == "}":
                closes.add(line)
    for line in sorted(closes):
        if open_at[line]:
            fail("%s:%d: a scope is still open after a declaration" % (rel, line + 1))
            break
    want = {"comment": ("comment",), "string": ("string",),
            "quoted": ("variable", "entity", "string"),
            "number": ("constant.numeric", "support.type", "entity.name.type"),
            "operator": ("keyword.operator", "string", "comment")}
    for kind, a, b in toks:
        word = text[a:b].lower()
        need = want.get(kind)
        if kind == "word" and word in RESERVED:
            need = ("keyword", "storage", "constant.language", "string", "comment",
                    "variable.other.enummember")  # labels may be any word
        if need is None:
            continue
        for i in range(a, b):
            inner = scopes[i][1:]
            if not inner or not has(inner, *need):
                line = text.count("\n", 0, i) + 1
                fail("%s:%d: %s %r is not highlighted as %s (scopes %s)" % (
                    rel, line, kind, text[a:b][:30], " or ".join(need), scopes[i]))
                break
    for (nk, na, nb), (tk, ta, tb) in column_tokens(text, toks):
        line = text.count("\n", 0, na) + 1
        if not has(scopes[na], "variable.other.member"):
            fail("%s:%d: column name %r is not a member (%s)" % (rel, line, text[na:nb], scopes[na]))
        if not has(scopes[ta], "support.type", "entity.name.type"):
            fail("%s:%d: column type %r is not a type (%s)" % (rel, line, text[ta:tb], scopes[ta]))


def check_package():
    with open(os.path.join(EXT, "package.json")) as f:
        pkg = json.load(f)
    contributes = pkg["contributes"]
    for lang in contributes["languages"]:
        if ".c7" not in lang.get("extensions", []):
            fail("package.json: language %s does not claim .c7" % lang.get("id"))
        conf = os.path.join(EXT, lang["configuration"])
        with open(conf) as f:
            c = json.load(f)
        if c["comments"] != {"lineComment": "--", "blockComment": ["/*", "*/"]}:
            fail("language-configuration.json: comments are not the language's")
    for g in contributes["grammars"]:
        if not os.path.exists(os.path.join(EXT, g["path"])):
            fail("package.json: grammar %s is missing" % g["path"])
    main_js = os.path.join(EXT, pkg["main"])
    if not os.path.exists(main_js):
        fail("package.json: main %s is missing" % pkg["main"])
    elif shutil.which("node"):
        # Syntax only: its modules come with packaging, not with the tests.
        r = subprocess.run(["node", "--check", main_js], capture_output=True, text=True)
        if r.returncode:
            fail("extension.js does not parse: " + r.stderr.strip())


def main():
    with open(os.path.join(EXT, "syntaxes", "c7.tmLanguage.json")) as f:
        raw = json.load(f)
    grammar = Grammar(raw)
    used = set()
    # Files c7gen itself cannot read (the error cases) are left out: what a
    # broken file looks like is not defined.
    files = [f for f in model_files(SRC) if parses(f)]
    for path in files:
        check_file(grammar, path, used)
    declared = set(re.findall(r'"name": "([^"]+)"', json.dumps(raw, indent=0)))
    declared.discard(raw["name"])
    for name in sorted(declared - used):
        fail("the grammar's %s highlights nothing in the test files" % name)
    check_package()
    for msg in failures[:60]:
        print("not ok - " + msg)
    print("%d model files, %d token classes used: %d problems" % (
        len(files), len(used & declared), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
