#!/usr/bin/env python3
"""test_vim.py SRCDIR - the Vim syntax file (editors/vim) against every model
file in the tests and the example project, in a real Vim: comments,
strings, numbers, quoted names, the reserved words and the built-in types
each get their syntax item (c7LineComment, c7String, ..., linked to Vim's
Comment, String, ... groups).  Files c7gen rejects are left out.  Skipped
(exit 77) when vim is not installed."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from c7lex import lex, model_files, parses  # noqa: E402

SRC = sys.argv[1] if len(sys.argv) > 1 else "."
RESERVED = {"table", "enum", "primary", "foreign", "references", "unique", "index",
            "check", "constraint", "default", "not", "null", "true", "false"}
KEYWORDISH = {"c7Keyword", "c7Declaration", "c7Constant"}
BUILTIN = {"bigint", "boolean", "bytea", "char", "date", "integer", "int", "jsonb", "json",
           "numeric", "smallint", "text", "timestamptz", "timestamp", "uuid", "varchar"}

DUMP = r"""
let s:out = []
for s:pos in readfile(g:positions)
  let [s:l, s:c] = split(s:pos)
  call add(s:out, synIDattr(synID(str2nr(s:l), str2nr(s:c), 1), 'name'))
endfor
call writefile(s:out, g:result)
"""


def expectations(text):
    """(line, byte column, token text, allowed groups) to look at."""
    out = []
    lines = text.split("\n")

    def where(i):
        line = text.count("\n", 0, i)
        col = i - (text.rfind("\n", 0, i) + 1)
        return line + 1, len(lines[line][:col].encode()) + 1

    want = {"comment": {"c7LineComment", "c7BlockComment", "c7Todo"},
            "string": {"c7String"}, "quoted": {"c7QuotedName"},
            "number": {"c7Number"}}
    for kind, a, b in lex(text):
        word = text[a:b].lower()
        groups = want.get(kind)
        if kind == "word" and word in RESERVED:
            groups = KEYWORDISH
        elif kind == "word" and word in BUILTIN:
            groups = {"c7Type"}
        if groups:
            out.append(where(a) + (text[a:b][:30], groups))
    return out


def main():
    vim = shutil.which("vim")
    if not vim:
        print("skipped: vim is not installed")
        return 77
    work = tempfile.mkdtemp(prefix="c7gen-vim-")
    failures = checked = 0
    files = [f for f in model_files(SRC) if parses(f)]
    try:
        dump = os.path.join(work, "dump.vim")
        with open(dump, "w") as f:
            f.write(DUMP)
        for path in files:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            exp = expectations(text)
            positions = os.path.join(work, "positions")
            result = os.path.join(work, "result")
            with open(positions, "w") as f:
                f.write("".join("%d %d\n" % (l, c) for l, c, _, _ in exp))
            subprocess.run([vim, "-N", "-u", "NONE", "-i", "NONE", "-es",
                            "--cmd", "set rtp^=" + os.path.join(SRC, "editors", "vim"),
                            "-c", "filetype plugin on", "-c", "syntax on",
                            "-c", "let g:positions = '%s' | let g:result = '%s'" % (positions, result),
                            "-c", "edit " + path, "-c", "source " + dump, "-c", "qa!"],
                           check=False, stdin=subprocess.DEVNULL, timeout=60)
            with open(result) as f:
                got = f.read().split("\n")
            checked += len(exp)
            for (line, col, tok, groups), group in zip(exp, got):
                if group not in groups:
                    failures += 1
                    if failures <= 40:
                        print("not ok - %s:%d:%d: %r is %s, not %s" % (
                            os.path.relpath(path, SRC), line, col, tok, group or "plain",
                            " or ".join(sorted(groups))))
            os.unlink(result)
    finally:
        shutil.rmtree(work)
    print("%d model files, %d tokens: %d highlighted wrongly" % (len(files), checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
