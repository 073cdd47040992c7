#!/usr/bin/env python3
"""editgen.py - random model edits, every revision proven (issue 12, item 4).

Takes model files (the tests' models, and the public corpus schemas once
`c7gen inspect` has written them), picks a few related tables, and applies
random sequences of the edits users make: type changes (with the foreign
keys that must follow), key changes, enum labels removed, renamed, added
and compared with, columns dropped and renamed, tables renamed, checks,
uniques, indexes and foreign keys added, changed and dropped.  After every
step it runs `c7gen autogenerate`, whose proof runs the new revision up and
down in the scratch cluster.  Exit status 2 with c7gen's "this is a bug in
c7gen" message, any other database or internal error, or a crash is a
finding: the models before and after are saved, shrunk to the fewest
tables, columns and items that still fail the same way, and reported.

A model the edits made invalid (c7gen rejects it as input, exit 2 without
the bug message) is not a finding: that step is undone and another tried.

    tools/editgen.py --c7gen build/c7gen --seed 1 --sequences 3
    tools/editgen.py --c7gen build/c7gen --minutes 30 --corpus-db 'host=...'

Deterministic from --seed (with --sequences; --minutes stops at a time).
Standard library only.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

BUG = "this is a bug in c7gen"

# ---------------------------------------------------------------- lexing

TOKEN = re.compile(r"""
    (?P<ws>[ \t\r]+)
  | (?P<nl>\n)
  | (?P<str>[eE]?'(?:[^']|'')*')
  | (?P<qid>"(?:[^"]|"")*")
  | (?P<word>[A-Za-z_][A-Za-z0-9_$]*(?:\.(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")*"))*)
  | (?P<num>[0-9]+(?:\.[0-9]+)?)
  | (?P<op>::|<>|<=|>=|!=|\|\||[-+*/%<>=~!@#^&|`?\[\],;{}().:])
""", re.X)


def strip_comments(text):
    """Text without -- and /* */ comments (strings and quoted names kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            j = i + 1
            while j < n:
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("--", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    if text[i] == "\n":
                        out.append("\n")
                    i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Tok:
    __slots__ = ("kind", "text", "space")

    def __init__(self, kind, text, space):
        self.kind, self.text, self.space = kind, text, space

    def low(self):
        return self.text.lower() if self.kind == "word" else self.text


def lex(text):
    toks, space = [], False
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "ws":
            space = True
            continue
        toks.append(Tok(kind, m.group(), space))
        space = kind == "nl"
    return toks


def group(toks, i):
    """Index past the balanced ( ... ) or [ ... ] starting at toks[i]."""
    depth = 0
    while i < len(toks):
        t = toks[i].text
        if toks[i].kind == "op" and t in "([":
            depth += 1
        elif toks[i].kind == "op" and t in ")]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced parentheses")


def join(toks):
    out = []
    for i, t in enumerate(toks):
        if i and t.space:
            out.append(" ")
        out.append(t.text)
    return "".join(out)


def norm(name):
    """A name as PostgreSQL folds it, without a leading public."""
    parts = re.findall(r'"(?:[^"]|"")*"|[^.]+', name)
    parts = [p[1:-1].replace('""', '"') if p.startswith('"') else p.lower() for p in parts]
    if len(parts) == 2 and parts[0] == "public":
        parts = parts[1:]
    return ".".join(parts)


# ---------------------------------------------------------------- models

ATTR_WORDS = {"not", "null", "primary", "unique", "default", "references", "check",
              "comment", "generated", "collate", "renamed"}


class Column:
    def __init__(self, name, type_, attrs):
        self.name, self.type, self.attrs = name, type_, attrs  # attrs: [str]

    def text(self):
        return " ".join([self.name, self.type] + self.attrs)

    def has(self, word):
        return any(a.lower().startswith(word) for a in self.attrs)

    def drop(self, word):
        self.attrs = [a for a in self.attrs if not a.lower().startswith(word)]


class Table:
    def __init__(self, name, columns, items, head=""):
        self.name, self.columns, self.items, self.head = name, columns, items, head

    def col(self, name):
        for c in self.columns:
            if norm(c.name) == norm(name):
                return c
        return None


class Schema:
    def __init__(self):
        self.enums = {}      # name as written -> [label text]
        self.others = []     # declarations kept as they are (sequences)
        self.tables = []

    def copy(self):
        s = Schema()
        s.enums = {k: list(v) for k, v in self.enums.items()}
        s.others = list(self.others)
        s.tables = [Table(t.name, [Column(c.name, c.type, list(c.attrs)) for c in t.columns],
                          list(t.items), t.head) for t in self.tables]
        return s

    def table(self, name):
        for t in self.tables:
            if norm(t.name) == norm(name):
                return t
        return None

    def enum_of(self, type_):
        base = type_.rstrip("[]").strip()
        for e in self.enums:
            if norm(e) == norm(base):
                return e
        return None

    def render(self):
        out = []
        for name, labels in self.enums.items():
            out.append("enum %s { %s }\n" % (name, ", ".join(labels)))
        out.extend(o + "\n" for o in self.others)
        for t in self.tables:
            out.append("\ntable %s%s {\n" % (t.name, t.head))
            out.extend("  %s\n" % c.text() for c in t.columns)
            out.extend("  %s\n" % i for i in t.items)
            out.append("}\n")
        return "".join(out)


def split_items(toks):
    """Items of a { } block: separated by newlines or ; outside ( )."""
    items, cur, i = [], [], 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "op" and t.text in "([":
            j = group(toks, i)
            cur.extend(x for x in toks[i:j] if x.kind != "nl")
            i = j
            continue
        if t.kind == "nl" or (t.kind == "op" and t.text == ";"):
            if cur:
                items.append(cur)
            cur = []
        else:
            cur.append(t)
        i += 1
    if cur:
        items.append(cur)
    return items


def attr_segments(toks):
    """A column's attributes, one string each, from the tokens after the type."""
    segs, i = [], 0
    while i < len(toks):
        start, w = i, toks[i].low()
        i += 1
        if w == "generated":
            if i < len(toks) and toks[i].low() == "by":
                i += 3  # by default as
            else:
                i += 2  # always as
            if i < len(toks) and toks[i].low() == "identity":
                i += 1
                if i < len(toks) and toks[i].text == "(":
                    i = group(toks, i)
            elif i < len(toks) and toks[i].text == "(":
                i = group(toks, i) + 1  # ( expr ) stored
        elif w in ("not", "primary", "renamed"):
            i += 1 if w != "renamed" else 2
        elif w in ("check",):
            i = group(toks, i)
        elif w in ("default", "collate", "comment"):
            i += 1
            while i < len(toks) and not (toks[i].kind == "word" and toks[i].low() in ATTR_WORDS):
                i = group(toks, i) if toks[i].text in "([" and toks[i].kind == "op" else i + 1
        elif w == "references":
            while i < len(toks) and not (toks[i].kind == "word" and toks[i].low() in ATTR_WORDS
                                         and toks[i].low() not in ("null", "default")):
                i = group(toks, i) if toks[i].text in "([" and toks[i].kind == "op" else i + 1
        segs.append(join(toks[start:i]))
    return segs


TABLE_ITEM_WORDS = {"primary", "unique", "index", "foreign", "check", "constraint", "comment"}


def parse_table(toks):
    items = split_items(toks)
    cols, rest = [], []
    for it in items:
        w = it[0].low()
        if it[0].kind == "word" and w in TABLE_ITEM_WORDS and not (
                len(it) > 1 and it[1].kind in ("word", "qid") and w not in ("primary", "foreign", "unique", "index", "constraint", "check", "comment")):
            rest.append(join(it))
            continue
        j = 1
        while j < len(it) and not (it[j].kind == "word" and it[j].low() in ATTR_WORDS):
            j = group(it, j) if it[j].kind == "op" and it[j].text in "([" else j + 1
        cols.append(Column(it[0].text, join(it[1:j]), attr_segments(it[j:])))
    return cols, rest


def parse_models(text, schema):
    toks = [t for t in lex(strip_comments(text))]
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "nl" or (t.kind == "op" and t.text == ";"):
            i += 1
            continue
        w = t.low()
        if w in ("table", "enum"):
            j = i + 1
            while toks[j].text != "{":
                j += 1
            k = j
            depth = 0
            while True:
                if toks[k].text == "{":
                    depth += 1
                elif toks[k].text == "}":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            head = [x for x in toks[i + 2:j] if x.kind != "nl"]
            if w == "enum":
                body = [x for x in toks[j + 1:k] if x.kind != "nl"]
                labels, cur = [], []
                for x in body:
                    if x.text == ",":
                        labels.append(join(cur))
                        cur = []
                    else:
                        cur.append(x)
                if cur:
                    labels.append(join(cur))
                schema.enums[toks[i + 1].text] = labels
            else:
                cols, items = parse_table(toks[j + 1:k])
                schema.tables.append(Table(toks[i + 1].text, cols, items,
                                           (" " + join(head)) if head else ""))
            i = k + 1
        else:
            j = i
            while j < len(toks) and toks[j].kind != "nl":
                j = group(toks, j) if toks[j].kind == "op" and toks[j].text in "([" else j + 1
            schema.others.append(join(toks[i:j]))
            i = j
    return schema


def load_dir(path):
    s = Schema()
    files = []
    for root, _, names in os.walk(path):
        files.extend(os.path.join(root, n) for n in names if n.endswith(".c7"))
    for f in sorted(files):
        with open(f) as fh:
            parse_models(fh.read(), s)
    return s


# ------------------------------------------------------ facts about a model

def words(text):
    return {norm(w) for w in re.findall(r'"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*', strip_strings(text))}


def strip_strings(text):
    return re.sub(r"'(?:[^']|'')*'", "''", text)


def paren_list(text):
    m = re.match(r"\s*\(([^()]*)\)", text)
    return [x.strip() for x in m.group(1).split(",")] if m else []


def pk_columns(t):
    for c in t.columns:
        if c.has("primary"):
            return [c.name]
    for it in t.items:
        m = re.match(r"(?:constraint\s+\S+\s+)?primary\s+key\s*(\(.*)", it, re.I)
        if m:
            return paren_list(m.group(1))
    return []


class Fk:
    """A foreign key: table, its columns, target table and columns; where."""

    def __init__(self, table, cols, target, tcols, owner, where):
        self.table, self.cols, self.target, self.tcols = table, cols, target, tcols
        self.owner, self.where = owner, where  # a Column, or the item's index


def foreign_keys(s):
    fks = []
    for t in s.tables:
        for c in t.columns:
            for a in c.attrs:
                m = re.match(r"references\s+(\S+?)\s*(\([^)]*\))?(\s|$)", a, re.I)
                if m:
                    fks.append(Fk(t, [c.name], m.group(1),
                                  paren_list(m.group(2)) if m.group(2) else None, c, a))
        for n, it in enumerate(t.items):
            m = re.match(r"(?:constraint\s+\S+\s+)?foreign\s+key\s*(\([^)]*\))\s*references\s+(\S+?)\s*(\([^)]*\))?(\s|$)",
                         it, re.I)
            if m:
                fks.append(Fk(t, paren_list(m.group(1)), m.group(2),
                              paren_list(m.group(3)) if m.group(3) else None, None, n))
    for fk in fks:
        target = s.table(fk.target)
        if fk.tcols is None and target:
            fk.tcols = pk_columns(target)
    return fks


def drop_fk(fk):
    if fk.owner is not None:
        fk.owner.attrs = [a for a in fk.owner.attrs if a is not fk.where]
    else:
        fk.table.items[fk.where] = None


def compact(t):
    t.items = [i for i in t.items if i is not None]


def column_family(type_, s):
    t = type_.lower()
    if s.enum_of(type_) and not t.endswith("]"):
        return "enum"
    if t.endswith("]"):
        return None
    if re.match(r"(smallint|integer|int|int2|int4|int8|bigint|numeric|decimal|real|double precision|float\d?)\b", t):
        return "number"
    if re.match(r"(text|varchar|character varying|char|character|bpchar)\b", t):
        return "string"
    if re.match(r"(timestamp|timestamptz|date)\b", t):
        return "time"
    return None


NEW_TYPES = {
    "number": ["smallint", "integer", "bigint", "numeric", "numeric(12,2)", "text", "real"],
    "string": ["text", "varchar(40)", "varchar(200)", "char(12)", "integer"],
    "time": ["timestamptz", "timestamp", "date", "timestamp(3)"],
}


# ---------------------------------------------------------------- edits
#
# Each edit takes (schema, rng) and changes the schema in place; it returns
# a short description, or None when it does not apply to this schema.

def pick(rng, seq):
    seq = list(seq)
    return rng.choice(seq) if seq else None


def plain_columns(t, s):
    return [c for c in t.columns if not c.has("generated") and column_family(c.type, s)]


def fk_component(s, table, col):
    """Every (table, column) tied to table.col by foreign keys, transitively."""
    fks = foreign_keys(s)
    todo, seen = [(table, norm(col))], set()
    while todo:
        t, c = todo.pop()
        if (norm(t.name), c) in seen:
            continue
        seen.add((norm(t.name), c))
        for fk in fks:
            tgt = s.table(fk.target)
            if not tgt or not fk.tcols or len(fk.tcols) != len(fk.cols):
                continue
            for a, b in zip(fk.cols, fk.tcols):
                if fk.table is t and norm(a) == c:
                    todo.append((tgt, norm(b)))
                if tgt is t and norm(b) == c:
                    todo.append((fk.table, norm(a)))
    return [(s.table(t), c) for t, c in sorted(seen)]


def e_retype(s, rng):
    t = pick(rng, s.tables)
    c = t and pick(rng, plain_columns(t, s))
    if not c:
        return None
    fam = column_family(c.type, s)
    if fam == "enum":
        new = "text"
    else:
        choices = [x for x in NEW_TYPES[fam] if x != c.type.lower()]
        enums = list(s.enums)
        if fam == "string" and enums and rng.random() < 0.3:
            choices.append(rng.choice(enums))
        new = rng.choice(choices)
    cols = [tt.col(cn) for tt, cn in fk_component(s, t, c.name)]
    if any(col is None or col.has("generated") or col.type.endswith("]") for col in cols):
        return None
    for col in cols:
        if column_family(new, s) != column_family(col.type, s):
            col.drop("default")  # a default of the old family seldom fits the new type
        if column_family(new, s) != "string":
            col.drop("collate")
        col.type = new
    return "retype %s.%s to %s" % (t.name, c.name, new)


def e_key_change(s, rng):
    t = pick(rng, [t for t in s.tables if pk_columns(t)])
    if not t:
        return None
    old = pk_columns(t)
    # Foreign keys that name no columns mean the key: they keep the old one.
    for fk in foreign_keys(s):
        text = fk.where if fk.owner is not None else fk.table.items[fk.where]
        if s.table(fk.target) is t and not re.search(r"references\s+\S+?\s*\(", text, re.I):
            fixed = re.sub(r"(references\s+\S+)", lambda m: "%s (%s)" % (m.group(1), ", ".join(old)),
                           text, count=1, flags=re.I)
            if fk.owner is not None:
                fk.owner.attrs = [fixed if a is fk.where else a for a in fk.owner.attrs]
            else:
                fk.table.items[fk.where] = fixed
    for c in t.columns:
        c.drop("primary")
    t.items = [i for i in t.items if not re.match(r"(constraint\s+\S+\s+)?primary\s+key", i, re.I)]
    referenced = any(s.table(fk.target) is t for fk in foreign_keys(s))
    if referenced or rng.random() < 0.5:
        # The old key stays a key (foreign keys may use it): a unique.
        if len(old) == 1:
            t.col(old[0]).attrs.append("unique")
        else:
            t.items.append("unique (%s)" % ", ".join(old))
    others = [c for c in t.columns if c.name not in old and not c.has("generated")
              and column_family(c.type, s) in ("number", "string", "enum", "time")]
    how = rng.choice(["widen", "move", "drop"]) if others else "drop"
    if how == "drop" and not referenced:
        return "drop the primary key of %s" % t.name
    if how == "drop":
        how = "widen" if others else "back"
    if how == "widen":
        extra = rng.choice(others)
        if not extra.has("not null"):
            extra.drop("null")
            extra.attrs.append("not null")
        new = ([extra.name] + old) if rng.random() < 0.5 else (old + [extra.name])
    elif how == "move":
        extra = rng.choice(others)
        new = [extra.name]
    else:
        new = old
    t.items.append("primary key (%s)" % ", ".join(new))
    return "primary key of %s becomes (%s)" % (t.name, ", ".join(new))


def literal_uses(s, label):
    lit = label if label.startswith("'") else "'%s'" % label
    return lit


def replace_literal(s, old, new):
    pat = re.compile(re.escape(old))
    for t in s.tables:
        for c in t.columns:
            c.attrs = [pat.sub(new, a) for a in c.attrs]
        t.items = [pat.sub(new, i) for i in t.items]


def label_name(label):
    return re.split(r"\s+renamed\s+from\s+", label, flags=re.I)[0]


def e_enum_remove(s, rng):
    e = pick(rng, [e for e, ls in s.enums.items() if len(ls) > 2])
    if not e:
        return None
    labels = s.enums[e]
    victim = rng.choice(labels)
    labels.remove(victim)
    keep = rng.choice(labels)
    replace_literal(s, literal_uses(s, label_name(victim)), literal_uses(s, label_name(keep)))
    return "remove label %s from %s" % (victim, e)


def e_enum_rename(s, rng):
    e = pick(rng, s.enums)
    if not e:
        return None
    labels = s.enums[e]
    i = rng.randrange(len(labels))
    old = label_name(labels[i])
    new = "%s_%d" % (old.strip("'").replace("-", "_").lower() or "x", rng.randrange(100))
    labels[i] = "%s renamed from %s" % (new, old)
    replace_literal(s, literal_uses(s, old), "'%s'" % new)
    return "rename label %s of %s to %s" % (old, e, new)


def e_enum_add(s, rng):
    e = pick(rng, s.enums)
    if not e:
        return None
    labels = s.enums[e]
    new = "added_%d" % rng.randrange(1000)
    if new in labels:
        return None
    labels.insert(rng.randrange(len(labels) + 1), new)
    return "add label %s to %s" % (new, e)


def e_enum_new(s, rng):
    """A new enum and a column of it (most sources have no enum: this
    brings the label edits to every table)."""
    t = pick(rng, s.tables)
    if not t:
        return None
    name = "kind%d" % rng.randrange(100)
    if name in s.enums or t.col(name):
        return None
    s.enums[name] = ["k_a", "k_b", "k_c", "k_d"][:rng.randint(3, 4)]
    attrs = ["not null", "default 'k_a'"] if rng.random() < 0.5 else []
    t.columns.append(Column(name, name, attrs))
    return "new enum %s and column %s.%s" % (name, t.name, name)


def e_enum_dependent(s, rng):
    """Something that compares an enum column with a label: the class the
    issue found (a check, a default, an index predicate or expression)."""
    cands = [(t, c) for t in s.tables for c in t.columns
             if column_family(c.type, s) == "enum" and not c.has("generated")]
    if not cands:
        return None
    t, c = rng.choice(cands)
    label = "'%s'" % label_name(rng.choice(s.enums[s.enum_of(c.type)])).strip("'")
    kind = rng.choice(["check", "default", "predicate", "expression"])
    if kind == "check":
        t.items.append("check (%s <> %s or %s is null)" % (c.name, label, c.name))
    elif kind == "default":
        c.drop("default")
        c.attrs.append("default %s" % label)
    elif kind == "predicate":
        other = rng.choice(t.columns)
        t.items.append("index (%s) where (%s <> %s)" % (other.name, c.name, label))
    else:
        t.items.append("index ((%s = %s))" % (c.name, label))
    return "%s on %s.%s comparing with %s" % (kind, t.name, c.name, label)


def mentions(text, name):
    return norm(name) in words(text)


def e_drop_column(s, rng):
    t = pick(rng, [t for t in s.tables if len(t.columns) > 1])
    if not t:
        return None
    c = rng.choice(t.columns)
    t.columns.remove(c)
    for fk in foreign_keys(s):
        tgt = s.table(fk.target)
        if (fk.table is t and any(norm(x) == norm(c.name) for x in fk.cols)) or \
           (tgt is t and any(norm(x) == norm(c.name) for x in fk.tcols or [])):
            drop_fk(fk)
    for other in s.tables:
        compact(other)
    t.items = [i for i in t.items if not mentions(i, c.name)]
    for o in t.columns:
        o.attrs = [a for a in o.attrs if a.lower().startswith("references") or not mentions(a, c.name)]
    return "drop column %s.%s" % (t.name, c.name)


def rename_word(text, old, new):
    """old -> new as a name in text, outside string literals."""
    parts = re.split(r"('(?:[^']|'')*')", text)
    pat = re.compile(r'(?<![A-Za-z0-9_$."])%s(?![A-Za-z0-9_$"])' % re.escape(old), re.I)
    return "".join(p if p.startswith("'") else pat.sub(new, p) for p in parts)


def e_rename_column(s, rng):
    t = pick(rng, s.tables)
    c = t and pick(rng, [c for c in t.columns if not c.name.startswith('"')])
    if not c:
        return None
    old, new = c.name, "%s_r%d" % (c.name, rng.randrange(100))
    if t.col(new):
        return None
    fks = foreign_keys(s)
    for fk in fks:
        if s.table(fk.target) is t and fk.tcols and any(norm(x) == norm(old) for x in fk.tcols):
            text = fk.where if fk.owner is not None else fk.table.items[fk.where]
            head, _, tail = text.partition(" references ")
            fixed = head + " references " + re.sub(
                r"\(([^)]*)\)", lambda m: "(" + rename_word(m.group(1), old, new) + ")", tail, count=1)
            if fk.owner is not None:
                fk.owner.attrs = [fixed if a is fk.where else a for a in fk.owner.attrs]
            else:
                fk.table.items[fk.where] = fixed
    t.items = [re.sub(r"^(.*?)( references .*)?$",
                      lambda m: rename_word(m.group(1), old, new) + (m.group(2) or ""), i)
               for i in t.items]
    for o in t.columns:
        o.attrs = [a if a.lower().startswith("references") else rename_word(a, old, new) for a in o.attrs]
    c.name = new
    c.attrs.append("renamed from %s" % old)
    return "rename column %s.%s to %s" % (t.name, old, new)


def e_rename_table(s, rng):
    t = pick(rng, [t for t in s.tables if "." not in t.name and not t.name.startswith('"')])
    if not t:
        return None
    old, new = t.name, "%s_t%d" % (t.name, rng.randrange(100))
    for fk in foreign_keys(s):
        if s.table(fk.target) is t:
            text = fk.where if fk.owner is not None else fk.table.items[fk.where]
            fixed = re.sub(r"(references\s+)(\S+?)(?=\s|\(|$)", lambda m: m.group(1) + new, text, count=1, flags=re.I)
            if fk.owner is not None:
                fk.owner.attrs = [fixed if a is fk.where else a for a in fk.owner.attrs]
            else:
                fk.table.items[fk.where] = fixed
    t.name = new
    t.head = " renamed from %s" % old
    return "rename table %s to %s" % (old, new)


def e_check(s, rng):
    t = pick(rng, s.tables)
    if not t:
        return None
    mine = [n for n, i in enumerate(t.items) if re.match(r"(constraint\s+\S+\s+)?check", i, re.I)]
    if mine and rng.random() < 0.4:
        del t.items[rng.choice(mine)]
        return "drop a check of %s" % t.name
    c = pick(rng, plain_columns(t, s))
    if not c:
        return None
    fam = column_family(c.type, s)
    expr = {"number": "%s >= 0", "string": "%s <> ''", "time": "%s > '2000-01-01'",
            "enum": "%s is not null or true"}[fam] % c.name
    name = "constraint %s_ck%d " % (norm(t.name).split(".")[-1][:40], rng.randrange(100)) if rng.random() < 0.3 else ""
    t.items.append("%scheck (%s)" % (name, expr))
    return "add check (%s) to %s" % (expr, t.name)


def e_index(s, rng):
    t = pick(rng, s.tables)
    if not t:
        return None
    mine = [n for n, i in enumerate(t.items) if re.match(r"(unique\s+)?index", i, re.I)]
    r = rng.random()
    if mine and r < 0.3:
        del t.items[rng.choice(mine)]
        return "drop an index of %s" % t.name
    if mine and r < 0.5:
        n = rng.choice(mine)
        it = t.items[n]
        if " where " in it:
            t.items[n] = it.split(" where ")[0]
        else:
            c = rng.choice(t.columns)
            t.items[n] = it + " where (%s is not null)" % c.name
        return "change the predicate of %s" % t.items[n]
    c = pick(rng, plain_columns(t, s))
    if not c:
        return None
    fam = column_family(c.type, s)
    elem = "lower(%s)" % c.name if fam == "string" and rng.random() < 0.4 else c.name
    if rng.random() < 0.3:
        elem += " desc"
    uniq = "unique " if rng.random() < 0.2 else ""
    item = "%sindex (%s)" % (uniq, elem)
    if rng.random() < 0.3:
        item += " where (%s is not null)" % rng.choice(t.columns).name
    t.items.append(item)
    return "add %s to %s" % (item, t.name)


def e_unique(s, rng):
    t = pick(rng, s.tables)
    c = t and pick(rng, plain_columns(t, s))
    if not c:
        return None
    if c.has("unique"):
        used = any(s.table(fk.target) is t and [norm(x) for x in fk.tcols or []] == [norm(c.name)]
                   for fk in foreign_keys(s))
        if used:
            return None
        c.drop("unique")
        return "drop unique from %s.%s" % (t.name, c.name)
    c.attrs.append("unique")
    return "make %s.%s unique" % (t.name, c.name)


ACTIONS = ["cascade", "restrict", "no action", "set null"]


def e_fk(s, rng):
    fks = foreign_keys(s)
    r = rng.random()
    if fks and r < 0.25:
        fk = rng.choice(fks)
        drop_fk(fk)
        compact(fk.table)
        return "drop the foreign key %s(%s)" % (fk.table.name, ", ".join(fk.cols))
    if fks and r < 0.6:
        fk = rng.choice(fks)
        text = fk.where if fk.owner is not None else fk.table.items[fk.where]
        text = re.sub(r"\s+on delete (cascade|restrict|no action|set null|set default)", "", text, flags=re.I)
        act = rng.choice(ACTIONS)
        if act == "set null" and any(fk.table.col(x) and (fk.table.col(x).has("not null") or fk.table.col(x).has("primary"))
                                     for x in fk.cols):
            act = "cascade"
        m = re.search(r"\s+on update", text, re.I)
        text = (text[:m.start()] + " on delete " + act + text[m.start():]) if m else text + " on delete " + act
        if fk.owner is not None:
            fk.owner.attrs = [text if a is fk.where else a for a in fk.owner.attrs]
        else:
            fk.table.items[fk.where] = text
        return "foreign key %s(%s) on delete %s" % (fk.table.name, ", ".join(fk.cols), act)
    # A new foreign key to a single-column key of the same type.
    targets = [(t, t.col(pk_columns(t)[0])) for t in s.tables if len(pk_columns(t)) == 1]
    targets += [(t, c) for t in s.tables for c in t.columns if c.has("unique")]
    targets = [(t, c) for t, c in targets if c]
    tgt = pick(rng, targets)
    if not tgt:
        return None
    tt, tc = tgt
    t = rng.choice(s.tables)
    cands = [c for c in t.columns if c.type.lower() == tc.type.lower() and not c.has("generated")
             and not c.has("references") and c is not tc]
    if not cands:
        if t is tt:
            return None
        name = "%s_ref%d" % (norm(tt.name).split(".")[-1][:30], rng.randrange(100))
        if t.col(name):
            return None
        typ = {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}.get(tc.type.lower(), tc.type)
        t.columns.append(Column(name, typ, ["references %s (%s)" % (tt.name, tc.name)]))
        return "add column %s.%s references %s (%s)" % (t.name, name, tt.name, tc.name)
    c = rng.choice(cands)
    c.attrs.append("references %s (%s)" % (tt.name, tc.name))
    return "%s.%s references %s (%s)" % (t.name, c.name, tt.name, tc.name)


def e_not_null(s, rng):
    t = pick(rng, s.tables)
    c = t and pick(rng, [c for c in t.columns if not c.has("primary") and not c.has("generated")])
    if not c:
        return None
    if c.has("not null"):
        c.drop("not null")
        return "%s.%s nullable" % (t.name, c.name)
    c.drop("null")
    c.attrs.append("not null")
    return "%s.%s not null" % (t.name, c.name)


def e_default(s, rng):
    t = pick(rng, s.tables)
    c = t and pick(rng, plain_columns(t, s))
    if not c:
        return None
    if c.has("default") and rng.random() < 0.5:
        c.drop("default")
        return "drop the default of %s.%s" % (t.name, c.name)
    fam = column_family(c.type, s)
    val = {"number": str(rng.randrange(10)), "string": "'x%d'" % rng.randrange(10),
           "time": "now()", "enum": "'%s'" % label_name(rng.choice(s.enums.get(s.enum_of(c.type)) or ["x"])).strip("'")}[fam]
    c.drop("default")
    c.attrs.append("default %s" % val)
    return "default %s on %s.%s" % (val, t.name, c.name)


def e_add_column(s, rng):
    t = pick(rng, s.tables)
    if not t:
        return None
    name = "c%d" % rng.randrange(1000)
    if t.col(name):
        return None
    nums = [c for c in plain_columns(t, s) if column_family(c.type, s) == "number"]
    if nums and rng.random() < 0.4:
        src = rng.choice(nums)
        t.columns.append(Column(name, "numeric", ["generated always as (%s * 2) stored" % src.name]))
        return "add %s.%s generated from %s" % (t.name, name, src.name)
    typ = rng.choice(["text", "integer", "bigint", "boolean", "timestamptz", "numeric(10,2)"] + list(s.enums))
    attrs = ["not null", "default 0"] if typ == "integer" and rng.random() < 0.5 else []
    t.columns.append(Column(name, typ, attrs))
    return "add column %s.%s %s" % (t.name, name, typ)


def e_comment(s, rng):
    t = pick(rng, s.tables)
    if not t:
        return None
    text = "'note %d'" % rng.randrange(100)
    if rng.random() < 0.4:
        had = [n for n, i in enumerate(t.items) if i.lower().startswith("comment")]
        for n in reversed(had):
            del t.items[n]
        if had and rng.random() < 0.5:
            return "drop the comment of %s" % t.name
        t.items.append("comment %s" % text)
        return "comment %s on %s" % (text, t.name)
    c = rng.choice(t.columns)
    had = c.has("comment")
    c.drop("comment")
    if had and rng.random() < 0.5:
        return "drop the comment of %s.%s" % (t.name, c.name)
    c.attrs.append("comment %s" % text)
    return "comment %s on %s.%s" % (text, t.name, c.name)


def e_drop_table(s, rng):
    if len(s.tables) < 2:
        return None
    t = rng.choice(s.tables)
    for fk in foreign_keys(s):
        if s.table(fk.target) is t:
            drop_fk(fk)
    s.tables.remove(t)
    for o in s.tables:
        compact(o)
    return "drop table %s" % t.name


EDITS = [
    (e_retype, 6), (e_key_change, 4), (e_enum_remove, 4), (e_enum_rename, 2), (e_enum_add, 1),
    (e_enum_new, 1), (e_enum_dependent, 4), (e_drop_column, 3), (e_rename_column, 3), (e_rename_table, 1),
    (e_check, 2), (e_index, 3), (e_unique, 2), (e_fk, 4), (e_not_null, 1), (e_default, 1),
    (e_add_column, 2), (e_drop_table, 1), (e_comment, 1),
]


def random_edit(s, rng):
    fns = [f for f, _ in EDITS]
    weights = [w for _, w in EDITS]
    for _ in range(20):
        f = rng.choices(fns, weights)[0]
        trial = s.copy()
        try:
            d = f(trial, rng)
        except (ValueError, IndexError, KeyError, AttributeError, TypeError) as e:
            # A model this small parser does not follow (an unusual
            # foreign key, say): try another edit rather than stop.
            print("editgen: %s skipped: %r" % (f.__name__, e), file=sys.stderr)
            continue
        if d:
            s.__dict__.update(trial.__dict__)
            return d
    return None


def forget_hints(s):
    """`renamed from` applies once: a user takes it out after the revision."""
    for e, labels in s.enums.items():
        s.enums[e] = [label_name(x) for x in labels]
    for t in s.tables:
        t.head = ""
        for c in t.columns:
            c.drop("renamed")


# ------------------------------------------------------------ the sources

def subset(s, rng, most):
    """A few tables of s, closed under the foreign keys they keep."""
    s = s.copy()
    start = rng.choice(s.tables)
    keep, todo = [], [start]
    fks = foreign_keys(s)
    while todo and len(keep) < most:
        t = todo.pop(0)
        if t in keep:
            continue
        keep.append(t)
        for fk in fks:
            if fk.table is t and s.table(fk.target) and s.table(fk.target) not in keep:
                todo.append(s.table(fk.target))
            if s.table(fk.target) is t and fk.table not in keep and rng.random() < 0.5:
                todo.append(fk.table)
    for fk in fks:
        if fk.table in keep and s.table(fk.target) not in keep:
            drop_fk(fk)
    s.tables = [t for t in s.tables if t in keep]
    for t in s.tables:
        compact(t)
    return s


def fix_unknown_types(s):
    """Domains are outside the model language: their columns become text."""
    for t in s.tables:
        for c in t.columns:
            base = c.type.rstrip("[]")
            if "." in base and not s.enum_of(base):
                c.type = "text"
                c.attrs = [a for a in c.attrs if not a.lower().startswith(("check", "default"))]


def find_sources(srcdir, extra):
    dirs = []
    for root, _, names in os.walk(os.path.join(srcdir, "tests")):
        if any(n.endswith(".c7") for n in names) and "/fuzz" not in root and "/fmt" not in root \
           and "/lsp" not in root and "/editors" not in root and "err_" not in root \
           and "/hostile" not in root:
            dirs.append(root)
    dirs.append(os.path.join(srcdir, "models"))
    dirs.extend(extra)
    sources = []
    for d in sorted(dirs):
        try:
            s = load_dir(d)
        except (ValueError, IndexError) as e:
            print("editgen: skipping %s: %s" % (d, e), file=sys.stderr)
            continue
        if s.tables:
            fix_unknown_types(s)
            sources.append((os.path.relpath(d, srcdir) if d.startswith(srcdir) else d, s))
    return sources


def inspect_corpus(c7gen, srcdir, conninfo, work):
    """The corpus schemas loaded and inspected: one models directory each."""
    out = []
    base = os.path.join(srcdir, "tests/corpus/schemas")
    for name in sorted(os.listdir(base)):
        db = "editgen_%s_%d" % (name, os.getpid())
        psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo]
        subprocess.run(psql + ["-c", 'DROP DATABASE IF EXISTS "%s"' % db, "-c", 'CREATE DATABASE "%s"' % db],
                       check=True, capture_output=True)
        url = "%s dbname=%s" % (conninfo, db)
        dest = os.path.join(work, "corpus", name)
        try:
            subprocess.run(["psql", "-X", "-q", "-d", url, "-f", os.path.join(base, name, "schema.sql")],
                           capture_output=True)
            subprocess.run([c7gen, "--config", "/dev/null", "--url", url, "--models", dest + "/models",
                            "--migrations", dest + "/none", "inspect"], check=True, capture_output=True, cwd=work)
            out.append(dest + "/models")
        finally:
            subprocess.run(psql + ["-c", 'DROP DATABASE IF EXISTS "%s"' % db], capture_output=True)
    return out


# ------------------------------------------------------------- running

class Project:
    """A c7gen project in scratch mode: autogenerate replays migrations/
    into the scratch cluster, diffs, and proves the revision there."""

    def __init__(self, c7gen, root):
        self.c7gen, self.root = c7gen, root
        os.makedirs(root, exist_ok=True)
        self.env = dict(os.environ)
        for v in ("C7GEN_DATABASE_URL", "DATABASE_URL", "PGDATABASE", "PGHOST", "PGPORT"):
            self.env.pop(v, None)
        self.env["C7GEN_SCRATCH_DIR"] = os.path.join(root, "scratch")
        self.n = 0

    def reset(self):
        for d in ("models", "migrations"):
            shutil.rmtree(os.path.join(self.root, d), ignore_errors=True)
            os.makedirs(os.path.join(self.root, d))

    def autogenerate(self, schema):
        with open(os.path.join(self.root, "models", "m.c7"), "w") as fh:
            fh.write(schema.render())
        self.n += 1
        p = subprocess.run([self.c7gen, "--config", "/dev/null", "--no-color", "--models", "models",
                            "--migrations", "migrations", "autogenerate", "-m", "step %d" % self.n],
                           cwd=self.root, env=self.env, capture_output=True, text=True, timeout=600)
        return p.returncode, p.stdout + p.stderr

    def drop_last(self):
        revs = sorted(os.listdir(os.path.join(self.root, "migrations")),
                      key=lambda f: os.path.getmtime(os.path.join(self.root, "migrations", f)))
        if revs:
            os.remove(os.path.join(self.root, "migrations", revs[-1]))


def verdict(rc, out):
    """ok | nochange | rejected (invalid models) | finding."""
    if rc == 0:
        return "nochange" if "No changes detected" in out else "ok"
    if BUG in out:
        return "finding"
    # Models the edits made invalid: refused by c7gen's checks (exit 2) or
    # by the server when c7gen normalises them (an operator or function
    # that does not exist for the column's new type, say).
    if (rc == 2 and "error:" in out) or "cannot check the models on the server" in out:
        return "rejected"
    return "finding"


def unnamed(text):
    return re.sub(r'"[^"]*"|\b\w*_\w*\b|\d+', "_", text).strip()[:120]


def signature(out):
    """What kind of failure: the server's message with names taken out, or
    what the proof found different after the upgrade or the downgrade."""
    lines = out.splitlines()
    for n, line in enumerate(lines):
        if "still differs from the models" in line or "does not restore the schema" in line:
            what = "upgrade leaves" if "still differs" in line else "downgrade leaves"
            detail = lines[n + 1] if n + 1 < len(lines) else ""
            detail = re.sub(r"^note:\s*\S+\s+", "", detail)
            return "%s: %s" % (what, unnamed(detail))
    for line in lines:
        m = re.search(r"(error|ERROR):\s*(.*)", line)
        if m and BUG not in line:
            return unnamed(m.group(2))
    return out.strip().splitlines()[-1][:120] if out.strip() else "exit without output"


def reproduce(proj, before, after):
    """Does the pair still fail?  Returns the signature or None."""
    proj.reset()
    rc, out = proj.autogenerate(before)
    if verdict(rc, out) not in ("ok", "nochange"):
        return None
    rc, out = proj.autogenerate(after)
    return signature(out) if verdict(rc, out) == "finding" else None


def shrink(proj, before, after, sig, budget):
    """Fewer tables, then fewer columns and items, in both models at once,
    while the same failure remains (and each side stays valid)."""
    deadline = time.time() + budget

    def same(b, a):
        return time.time() < deadline and reproduce(proj, b, a) == sig

    def without(s, kind, key):
        s = s.copy()
        if kind == "table":
            t = s.table(key)
            if t:
                for fk in foreign_keys(s):
                    if s.table(fk.target) is t:
                        drop_fk(fk)
                s.tables.remove(t)
                for o in s.tables:
                    compact(o)
        elif kind == "item":
            tn, item = key
            t = s.table(tn)
            if t and item in t.items:
                t.items.remove(item)
        elif kind == "column":
            tn, cn = key
            t = s.table(tn)
            c = t and t.col(cn)
            if c and len(t.columns) > 1:
                t.columns.remove(c)
                for fk in foreign_keys(s):
                    if (fk.table is t and cn in fk.cols) or (s.table(fk.target) is t and cn in (fk.tcols or [])):
                        drop_fk(fk)
                for o in s.tables:
                    compact(o)
                t.items = [i for i in t.items if not mentions(i, cn)]
        elif kind == "enum":
            s.enums.pop(key, None)
        return s

    changed = True
    while changed and time.time() < deadline:
        changed = False
        keys = [("table", norm(t.name)) for t in before.tables] + \
               [("table", norm(t.name)) for t in after.tables]
        keys += [("column", (norm(t.name), c.name)) for t in before.tables for c in t.columns]
        keys += [("item", (norm(t.name), i)) for t in before.tables for i in t.items]
        keys += [("item", (norm(t.name), i)) for t in after.tables for i in t.items]
        keys += [("enum", e) for e in before.enums]
        seen = set()
        for kind, key in keys:
            if (kind, repr(key)) in seen:
                continue
            seen.add((kind, repr(key)))
            b, a = without(before, kind, key), without(after, kind, key)
            if b.render() == before.render() and a.render() == after.render():
                continue
            if same(b, a):
                before, after, changed = b, a, True
    return before, after


def run(args):
    rng_master = random.Random(args.seed)
    srcdir = os.path.abspath(args.srcdir)
    work = tempfile.mkdtemp(prefix="editgen.", dir=args.workdir)
    os.chmod(work, 0o755)  # the scratch server may run as another user
    findings_dir = args.findings
    if findings_dir:
        os.makedirs(findings_dir, exist_ok=True)
    args.c7gen = os.path.abspath(args.c7gen)
    extra = inspect_corpus(args.c7gen, srcdir, args.corpus_db, work) if args.corpus_db else []
    sources = find_sources(srcdir, extra)
    proj = Project(os.path.abspath(args.c7gen), os.path.join(work, "proj"))
    stats = dict(sequences=0, steps=0, revisions=0, unchanged=0, rejected=0, findings=0,
                 base_rejected=0, sources=len(sources))
    findings = {}
    stop_at = time.time() + args.minutes * 60 if args.minutes else None
    log = open(args.log, "a") if args.log else None
    try:
        seq = 0
        while True:
            if args.sequences and seq >= args.sequences:
                break
            if stop_at and time.time() >= stop_at:
                break
            rng = random.Random("%d/%d" % (args.seed, seq))
            seq += 1
            srcname, src = rng.choice(sources)
            try:
                schema = subset(src, rng, rng.randint(2, 6))
            except (ValueError, IndexError, KeyError, AttributeError, TypeError) as e:
                print("editgen: %s: no subset: %r" % (srcname, e), file=sys.stderr)
                continue
            proj.reset()
            stats["sequences"] += 1
            rc, out = proj.autogenerate(schema)
            v = verdict(rc, out)
            if v == "rejected":
                stats["base_rejected"] += 1
                if log:
                    log.write(json.dumps(dict(seq=seq, source=srcname, base="rejected", out=out[-400:])) + "\n")
                continue
            if v == "finding":
                # The tables as they are, created from nothing.
                stats["findings"] += 1
                report_finding(args, proj, findings, findings_dir, seq, srcname, Schema(), schema,
                               ["create the tables"], signature(out), out)
                continue
            stats["revisions"] += 1
            steps = []
            for step in range(args.steps):
                tried = 0
                while tried < 4:
                    tried += 1
                    new = schema.copy()
                    descs = [d for d in (random_edit(new, rng) for _ in range(rng.randint(1, 3))) if d]
                    if not descs:
                        break
                    rc, out = proj.autogenerate(new)
                    v = verdict(rc, out)
                    stats["steps"] += 1
                    if v == "rejected":
                        stats["rejected"] += 1
                        if log:
                            log.write(json.dumps(dict(seq=seq, rejected=descs, out=out[-300:])) + "\n")
                        continue
                    break
                else:
                    continue
                if not descs:
                    break
                steps.append(descs)
                if v == "ok":
                    stats["revisions"] += 1
                elif v == "nochange":
                    stats["unchanged"] += 1
                else:
                    stats["findings"] += 1
                    sig = signature(out)
                    report_finding(args, proj, findings, findings_dir, seq, srcname, schema, new, descs, sig, out)
                    break
                forget_hints(new)
                schema = new
            if log:
                log.write(json.dumps(dict(seq=seq, source=srcname, steps=steps)) + "\n")
                log.flush()
    finally:
        if log:
            log.close()
        # A c7gen killed by the timeout may have left its scratch server
        # running; pgcluster.sh stops it before the directory goes.
        subprocess.run([os.path.join(srcdir, "tools/pgcluster.sh"), "stop", proj.env["C7GEN_SCRATCH_DIR"]],
                       capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    stats["distinct_findings"] = len(findings)
    print(json.dumps(stats, sort_keys=True))
    for sig, f in sorted(findings.items()):
        print("finding: %s (%d times; first: %s)" % (sig, f["count"], f["dir"]))
    return 1 if stats["findings"] else 0


def report_finding(args, proj, findings, findings_dir, seq, srcname, before, after, descs, sig, out):
    f = findings.setdefault(sig, dict(count=0, dir=None))
    f["count"] += 1
    print("editgen: sequence %d (%s): %s -> %s" % (seq, srcname, "; ".join(descs), sig), file=sys.stderr)
    if f["count"] > 1 or not findings_dir:
        if not findings_dir:
            print(out, file=sys.stderr)
        return
    d = os.path.join(findings_dir, "%03d" % (len(findings)))
    os.makedirs(d, exist_ok=True)
    f["dir"] = d
    for name, s in (("before.c7", before), ("after.c7", after)):
        with open(os.path.join(d, name), "w") as fh:
            fh.write(s.render())
    with open(os.path.join(d, "found.txt"), "w") as fh:
        fh.write("seed %d sequence %d source %s\nedits: %s\nsignature: %s\n\n%s\n" %
                 (args.seed, seq, srcname, "; ".join(descs), sig, out))
    if args.shrink:
        b, a = shrink(proj, before, after, sig, args.shrink)
        for name, s in (("min-before.c7", b), ("min-after.c7", a)):
            with open(os.path.join(d, name), "w") as fh:
                fh.write(s.render())
        reproduce(proj, b, a)
        with open(os.path.join(d, "min-out.txt"), "w") as fh:
            rc, o = proj.autogenerate(a)
            fh.write(o)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--c7gen", required=True)
    ap.add_argument("--srcdir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sequences", type=int, default=0, help="stop after N sequences")
    ap.add_argument("--minutes", type=float, default=0, help="stop after M minutes")
    ap.add_argument("--steps", type=int, default=4, help="revisions per sequence")
    ap.add_argument("--corpus-db", help="libpq conninfo of a server to load and inspect the corpus schemas on")
    ap.add_argument("--findings", help="directory to save each finding (models before/after, shrunk)")
    ap.add_argument("--shrink", type=float, default=0, help="seconds to spend shrinking each finding")
    ap.add_argument("--log", help="append one JSON line per sequence")
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()
    if not args.sequences and not args.minutes:
        ap.error("give --sequences or --minutes")
    sys.exit(run(args))


if __name__ == "__main__":
    main()
