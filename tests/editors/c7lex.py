"""The model language's tokens as c7gen's scanner reads them (grammar/model.l),
for the editor tests: what a highlighter must agree with."""
import os
import re
import subprocess


def lex(text):
    """(kind, start, end) for each token of a model file, comments included:
    comment, string, quoted (a quoted name), word, number, operator or
    punct."""
    toks = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n\f\v":
            i += 1
            continue
        if text.startswith("--", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            toks.append(("comment", i, j))
        elif text.startswith("/*", i):
            depth, j = 0, i
            while j < n:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                    if depth == 0:
                        break
                else:
                    j += 1
            toks.append(("comment", i, j))
        elif c == "'" or (c in "eE" and text.startswith("'", i + 1)):
            j = i + (2 if c != "'" else 1)
            while j < n:
                if text[j] == "\\" and c != "'":
                    j += 2
                elif text.startswith("''", j):
                    j += 2
                elif text[j] == "'":
                    j += 1
                    break
                else:
                    j += 1
            toks.append(("string", i, j))
        elif c == '"':
            j = i + 1
            while j < n and not (text[j] == '"' and not text.startswith('""', j)):
                j += 2 if text.startswith('""', j) else 1
            toks.append(("quoted", i, min(j + 1, n)))
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_$"):
                j += 1
            toks.append(("word", i, j))
        elif c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            m = re.compile(r"\d*\.?\d*(?:[eE][-+]?\d+)?").match(text, i)
            toks.append(("number", i, m.end()))
        elif text.startswith("::", i):
            toks.append(("operator", i, i + 2))
        elif c in "+-*/<>=~!@#%^&|`?":
            j = i
            while j < n and text[j] in "+-*/<>=~!@#%^&|`?" and not text.startswith(("--", "/*"), j):
                j += 1
            toks.append(("operator", i, max(j, i + 1)))
        else:
            toks.append(("punct", i, i + 1))
        i = toks[-1][2]
    return toks


def parses(path):
    """Whether c7gen's scanner and parser accept the file (C7GEN names the
    binary; without it every file counts)."""
    c7gen = os.environ.get("C7GEN")
    if not c7gen:
        return True
    with open(path, "rb") as f:
        r = subprocess.run([c7gen, "--config", "/dev/null", "fmt", "-"], stdin=f,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def model_files(src):
    """Every model file in the tests and the example project."""
    for top in ("tests", "models"):
        for root, _dirs, files in sorted(os.walk(os.path.join(src, top))):
            for name in sorted(files):
                if name.endswith(".c7"):
                    yield os.path.join(root, name)


