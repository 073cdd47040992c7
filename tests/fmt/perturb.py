#!/usr/bin/env python3
"""perturb.py SRC DST - copy the *.c7 files of SRC to DST with their layout
disturbed but their meaning kept: indentation changed, every run of blanks
between words widened, blank lines doubled.  Quoted text and comments are
never touched.
Formatting DST must give back SRC when SRC is formatted (as inspect's output
is).  Deterministic: the same input gives the same output."""
import os
import random
import sys


def disturb(line, rng):
    out = [" " * rng.randint(0, 6)]
    body = line.lstrip(" ")
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if body.startswith("--", i) or body.startswith("/*", i):
            out.append(body[i:])
            break
        if c in "'\"":
            j = i + 1
            while j < n:
                if body[j] == c and j + 1 < n and body[j + 1] == c:
                    j += 2
                elif body[j] == c:
                    break
                else:
                    j += 1
            out.append(body[i:j + 1])
            i = j + 1
        elif c == " ":
            while i < n and body[i] == " ":
                i += 1
            out.append(" " * rng.randint(1, 4))
        else:
            out.append(c)
            i += 1
    return "".join(out).rstrip(" ") if body else ""


def main(src, dst):
    rng = random.Random(7)
    for root, _dirs, files in sorted(os.walk(src)):
        for name in sorted(files):
            if not name.endswith(".c7"):
                continue
            rel = os.path.relpath(os.path.join(root, name), src)
            with open(os.path.join(src, rel)) as f:
                lines = f.read().split("\n")
            new = []
            for line in lines:
                new.append(disturb(line, rng))
                if line == "" and new[-1] == "":
                    new.append("")
            os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
            with open(os.path.join(dst, rel), "w") as f:
                f.write("\n".join(new))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
