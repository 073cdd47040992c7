#!/usr/bin/env python3
"""test_lsp.py - drives a real `c7gen lsp` process as an editor would and
checks its exact responses: initialize, diagnostics on open and on every
change (errors introduced and fixed, related locations, the command line's
rule that semantic errors wait for syntax errors to be fixed), definition,
references, hover, completion, document symbols, formatting, shutdown and
exit; malformed, oversized and out-of-order messages; position encodings.

    C7GEN=build/c7gen tests/lsp/test_lsp.py
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import Client  # noqa: E402

C7GEN = os.path.abspath(os.environ["C7GEN"])
# meson test --setup valgrind: the server runs under memcheck.
if os.environ.get("C7GEN_WRAPPER"):
    os.environ["C7GEN_REAL"] = C7GEN
    C7GEN = os.environ["C7GEN_WRAPPER"]
checks = failures = 0


def check(what, got, want):
    global checks, failures
    checks += 1
    if got == want:
        print("ok - " + what)
        return
    failures += 1
    print("not ok - " + what)
    print("  want: " + json.dumps(want, indent=1, sort_keys=True).replace("\n", "\n  "))
    print("  got:  " + json.dumps(got, indent=1, sort_keys=True).replace("\n", "\n  "))


USERS = """enum role { admin, member }

table users {
  id    uuid primary key
  email text not null unique comment 'Login'
  role  role not null default 'member'
  name  text renamed from full_name
}
"""
POSTS = """-- Posts people write.
table posts {
  id      bigint primary key
  user_id uuid not null references users (id) on delete cascade
  title   text
  body    text

  index (user_id)
}
"""
TAGS = """table tags {
  id      integer primary key
  post_id bigint not null references post
}
"""


def pos(text, needle, nth=0, delta=0):
    """Line and character (UTF-16, ASCII here) of the nth `needle`."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    return {"line": line, "character": at - (text.rfind("\n", 0, at) + 1)}


def span(text, needle, nth=0, length=None):
    """The range of the nth `needle` (or of its first `length` characters)."""
    start = pos(text, needle, nth)
    n = len(needle) if length is None else length
    return {"start": start, "end": dict(start, character=start["character"] + n)}


class Session:
    def __init__(self, work, encodings=None):
        self.work = work
        self.c = Client([C7GEN, "lsp"], cwd=work)
        caps = {"general": {"positionEncodings": encodings}} if encodings else {}
        self.init = self.c.call("initialize", {"processId": None, "capabilities": caps})

    def uri(self, name):
        return "file://%s/models/%s.c7" % (self.work, name)

    def open(self, name, text, version=1):
        self.c.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri(name), "languageId": "c7", "version": version, "text": text}})

    def change(self, name, version, changes):
        self.c.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri(name), "version": version},
            "contentChanges": changes})

    def diagnostics(self):
        return self.c.notification("textDocument/publishDiagnostics")["params"]

    def at(self, method, name, position, **extra):
        params = {"textDocument": {"uri": self.uri(name)}, "position": position}
        params.update(extra)
        return self.c.call(method, params)

    def result(self, method, name, position, **extra):
        return self.at(method, name, position, **extra).get("result")


def diag(rng, message, related=None):
    d = {"range": rng, "severity": 1, "source": "c7gen", "message": message}
    if related:
        d["relatedInformation"] = related
    return d


def project():
    work = tempfile.mkdtemp(prefix="c7gen-lsp-")
    os.makedirs(work + "/models")
    with open(work + "/c7gen.ini", "w") as f:
        f.write("[c7gen]\nmodels = models\n")
    for name, text in (("users", USERS), ("posts", POSTS), ("tags", TAGS)):
        with open("%s/models/%s.c7" % (work, name), "w") as f:
            f.write(text)
    return work


def lifecycle_and_diagnostics(s):
    check("initialize answers with the server's capabilities", s.init, {
        "jsonrpc": "2.0", "id": 1, "result": {
            "capabilities": {
                "positionEncoding": "utf-16",
                "textDocumentSync": {"openClose": True, "change": 2},
                "definitionProvider": True, "referencesProvider": True,
                "hoverProvider": True,
                "completionProvider": {"triggerCharacters": ["(", ",", "."]},
                "documentSymbolProvider": True, "documentFormattingProvider": True},
            "serverInfo": {"name": "c7gen", "version": "0.1.0"}}})
    s.c.notify("initialized", {})
    check("after initialized, the errors of files on disk are published", s.diagnostics(), {
        "uri": s.uri("tags"), "diagnostics": [
            diag(span(TAGS, "post", 1), "table 'post' does not exist (did you mean 'posts'?)")]})
    check("and only of files with errors", s.c.no_message(), True)

    s.open("posts", POSTS)
    check("didOpen publishes the file's diagnostics", s.diagnostics(),
          {"uri": s.uri("posts"), "version": 1, "diagnostics": []})

    at = span(POSTS, "users")
    s.change("posts", 2, [{"range": at, "text": "user"}])
    user = span(POSTS, "users", length=4)
    check("a change that breaks a reference is reported as the CLI does", s.diagnostics(), {
        "uri": s.uri("posts"), "version": 2, "diagnostics": [
            diag(user, "table 'user' does not exist (did you mean 'users'?)")]})

    s.change("posts", 3, [{"range": user, "text": "users"},
                          {"range": span(POSTS, "body"), "text": "title"}])
    check("a duplicate column: the note becomes a related location", s.diagnostics(), {
        "uri": s.uri("posts"), "version": 3, "diagnostics": [diag(
            span(POSTS, "body", length=5), "column 'title' is already defined in table 'posts'",
            [{"location": {"uri": s.uri("posts"), "range": span(POSTS, "title")},
              "message": "previous definition is here"}])]})

    s.change("posts", 4, [{"text": POSTS.replace("index (user_id)", "index (user_id")}])
    got = sorted([s.diagnostics(), s.diagnostics()], key=lambda p: p["uri"])
    check("a syntax error is reported, and semantic errors wait for it, as on the command line",
          got, [
              {"uri": s.uri("posts"), "version": 4, "diagnostics": [
                  diag(span(POSTS, "(user_id", length=1), "unclosed '('"),
                  diag(span(POSTS, "}"), "unexpected '}'")]},
              {"uri": s.uri("tags"), "diagnostics": []}])

    s.change("posts", 5, [{"text": POSTS}])
    got = sorted([s.diagnostics(), s.diagnostics()], key=lambda p: p["uri"])
    check("fixing it publishes the file clean and the other file's error again", got, [
        {"uri": s.uri("posts"), "version": 5, "diagnostics": []},
        {"uri": s.uri("tags"), "diagnostics": [
            diag(span(TAGS, "post", 1), "table 'post' does not exist (did you mean 'posts'?)")]}])

    s.open("tags", TAGS)
    check("opening a file with an error publishes it", s.diagnostics()["diagnostics"][0]["message"],
          "table 'post' does not exist (did you mean 'posts'?)")
    fix = span(TAGS, "post", 1)
    s.change("tags", 2, [{"range": {"start": fix["end"], "end": fix["end"]}, "text": "s"}])
    check("and fixing it clears it", s.diagnostics(),
          {"uri": s.uri("tags"), "version": 2, "diagnostics": []})

    s.open("users", USERS)
    s.diagnostics()
    s.change("users", 2, [{"range": span(USERS, "users"), "text": "people"}])
    refs = span(POSTS, "users")
    check("renaming a table in one file reports its references in another", s.diagnostics(), {
        "uri": s.uri("posts"), "version": 5, "diagnostics": [
            diag(refs, "table 'users' does not exist")]})
    check("and nothing else changed", s.c.no_message(), True)
    s.change("users", 3, [{"text": USERS}])
    check("renaming it back clears that", s.diagnostics(),
          {"uri": s.uri("posts"), "version": 5, "diagnostics": []})


def navigation(s):
    users_decl = {"uri": s.uri("users"), "range": span(USERS, "users")}
    check("definition: a reference's table is its declaration",
          s.result("textDocument/definition", "posts", pos(POSTS, "users", delta=2)), users_decl)
    check("definition: a reference's column is the column's declaration",
          s.result("textDocument/definition", "posts", pos(POSTS, "(id)", delta=1)),
          {"uri": s.uri("users"), "range": span(USERS, "id")})
    check("definition: a column's enum type is the enum's declaration",
          s.result("textDocument/definition", "users", pos(USERS, "role not", delta=1)),
          {"uri": s.uri("users"), "range": span(USERS, "role")})
    check("definition: an index column is the column in the same table",
          s.result("textDocument/definition", "posts", pos(POSTS, "(user_id)", delta=3)),
          {"uri": s.uri("posts"), "range": span(POSTS, "user_id")})
    check("definition: a cursor just after a name still finds it",
          s.result("textDocument/definition", "posts", pos(POSTS, "users (", delta=5)), users_decl)
    check("definition: 'renamed from' names nothing that exists",
          s.at("textDocument/definition", "users", pos(USERS, "full_name")),
          {"jsonrpc": "2.0", "id": s.c.next_id - 1, "result": None})
    check("definition: a keyword is nothing",
          s.result("textDocument/definition", "posts", pos(POSTS, "references")), None)

    check("references of a table, with its declaration, in file order",
          s.result("textDocument/references", "users", pos(USERS, "users"),
                   context={"includeDeclaration": True}),
          [{"uri": s.uri("posts"), "range": span(POSTS, "users")}, users_decl])
    check("references of a table, without its declaration",
          s.result("textDocument/references", "users", pos(USERS, "users"),
                   context={"includeDeclaration": False}),
          [{"uri": s.uri("posts"), "range": span(POSTS, "users")}])
    check("references of a column from one of its uses",
          s.result("textDocument/references", "posts", pos(POSTS, "user_id", 1),
                   context={"includeDeclaration": True}),
          [{"uri": s.uri("posts"), "range": span(POSTS, "user_id")},
           {"uri": s.uri("posts"), "range": span(POSTS, "user_id", 1)}])

    check("hover on a table: its CREATE TABLE as c7gen writes it",
          s.result("textDocument/hover", "posts", pos(POSTS, "users")), {
              "contents": {"kind": "markdown", "value":
                           "```sql\n"
                           "CREATE TABLE users (\n"
                           "    id    uuid PRIMARY KEY,\n"
                           "    email text NOT NULL UNIQUE,\n"
                           "    role  role DEFAULT 'member' NOT NULL,\n"
                           "    name  text\n"
                           ");\n"
                           "```\n"},
              "range": span(POSTS, "users")})
    check("hover on a column: canonical type, constraints, comment",
          s.result("textDocument/hover", "users", pos(USERS, "email")), {
              "contents": {"kind": "markdown", "value":
                           "```sql\nusers.email text NOT NULL\n```\n"
                           "\n- `users_email_key` UNIQUE (email)\n"
                           "\nLogin\n"},
              "range": span(USERS, "email")})
    check("hover on a column with a reference",
          s.result("textDocument/hover", "posts", pos(POSTS, "user_id"))["contents"]["value"],
          "```sql\nposts.user_id uuid NOT NULL\n```\n"
          "\n- `posts_user_id_fkey` FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE\n")
    check("hover on an enum type: its CREATE TYPE",
          s.result("textDocument/hover", "users", pos(USERS, "role not"))["contents"]["value"],
          "```sql\nCREATE TYPE role AS ENUM ('admin', 'member');\n```\n")
    check("hover on nothing", s.result("textDocument/hover", "posts", pos(POSTS, "-- Posts")), None)


def completion_labels(s, name, text, position):
    items = s.result("textDocument/completion", name, position)
    return [(i["label"], i["kind"], i.get("detail")) for i in items["items"]]


def completion(s):
    def typed(text, version):
        s.change("posts", version, [{"text": text}])
        s.c.pending.clear()
        return text

    keys = [("check", 14, None), ("comment", 14, None), ("constraint", 14, None),
            ("exclude using", 14, None), ("foreign key", 14, None), ("index", 14, None),
            ("primary key", 14, None), ("unique", 14, None), ("unique index", 14, None)]
    text = typed(POSTS.replace("  body    text\n", "  body    text\n  \n"), 10)
    check("completion at the start of an item: the keywords of table items",
          completion_labels(s, "posts", text, pos(text, "  \n", delta=2)), keys)

    text = typed(POSTS.replace("  body    text\n", "  body    text\n  summary \n"), 11)
    got = completion_labels(s, "posts", text, pos(text, "summary ", delta=8))
    check("completion after a column's name: the types, built-in and enums",
          (len(got), got[:3], got[-2:], [g for g in got if g[1] == 13]),
          (94, [("aclitem", 25, "built-in type"), ("bigint", 25, "built-in type"),
                ("bigserial", 25, "built-in type")],
           [("xml", 25, "built-in type"), ("role", 13, "enum")], [("role", 13, "enum")]))
    text = typed(text.replace("summary \n", "summary te\n"), 12)
    check("and the same while the type's first letters are typed",
          completion_labels(s, "posts", text, pos(text, "summary te", delta=10)), got)

    text = typed(POSTS.replace("  body    text\n", "  body    text not null \n"), 13)
    check("completion after a column's type: its attributes",
          [g[0] for g in completion_labels(s, "posts", text, pos(text, "not null ", delta=9))],
          ["check", "collate", "comment", "constraint", "default",
           "generated always as identity", "generated by default as identity", "not null",
           "null", "primary key", "references", "renamed from", "unique"])

    text = typed(POSTS.replace("  body    text\n", "  body    text references \n"), 14)
    check("completion after 'references': the tables",
          completion_labels(s, "posts", text, pos(text, "references \n", delta=11)),
          [("posts", 7, "table"), ("tags", 7, "table"), ("users", 7, "table")])

    text = typed(POSTS.replace("  body    text\n", "  body    uuid references users (\n"), 15)
    check("completion in a reference's parentheses: the columns of the table it names",
          completion_labels(s, "posts", text, pos(text, "users (", delta=7)),
          [("id", 5, "uuid"), ("email", 5, "text"), ("role", 5, "public.role"),
           ("name", 5, "text")])

    text = typed(POSTS.replace("  index (user_id)", "  primary key (id, "), 16)
    check("completion in a key's parentheses: the table's own columns, even unfinished",
          completion_labels(s, "posts", text, pos(text, "(id, ", delta=5)),
          [("id", 5, "bigint"), ("user_id", 5, "uuid"), ("title", 5, "text"), ("body", 5, "text")])

    text = typed(POSTS.replace("  body    text\n", "  body    text references users on delete \n"), 17)
    check("completion after 'on delete': the actions",
          [g[0] for g in completion_labels(s, "posts", text, pos(text, "on delete ", delta=10))],
          ["cascade", "no action", "restrict", "set default", "set null"])

    text = typed(POSTS + "\n", 18)
    check("completion at the start of a line between declarations: the declarations",
          [g[0] for g in completion_labels(s, "posts", text, pos(text, "}\n\n", delta=2))],
          ["enum", "extension", "schema", "sequence", "table"])

    text = typed(POSTS.replace("-- Posts people write.", "-- Posts people "), 19)
    check("no completion inside a comment",
          completion_labels(s, "posts", text, pos(text, "people ", delta=7)), [])
    text = typed(POSTS.replace("  body    text\n", "  body    text default 'ab\n"), 20)
    check("no completion inside a string",
          completion_labels(s, "posts", text, pos(text, "'ab", delta=3)), [])
    s.change("posts", 21, [{"text": POSTS}])
    s.c.pending.clear()


def symbols_and_formatting(s):
    def sym(name, kind, rng, sel, detail=None, children=None):
        d = {"name": name, "kind": kind, "range": rng, "selectionRange": sel}
        if detail:
            d["detail"] = detail
        if children is not None:
            d["children"] = children
        return d

    def lines(a, b, c, d):
        return {"start": {"line": a, "character": b}, "end": {"line": c, "character": d}}

    check("documentSymbol: tables with their columns, enums with their labels",
          s.result("textDocument/documentSymbol", "users", None), [
              sym("role", 10, lines(0, 0, 0, 27), span(USERS, "role"), children=[
                  sym("admin", 22, span(USERS, "admin"), span(USERS, "admin")),
                  sym("member", 22, span(USERS, "member"), span(USERS, "member"))]),
              sym("users", 5, lines(2, 0, 7, 1), span(USERS, "users"), children=[
                  sym("id", 8, lines(3, 2, 3, 24), span(USERS, "id"), "uuid"),
                  sym("email", 8, lines(4, 2, 4, 44), span(USERS, "email"), "text"),
                  sym("role", 8, lines(5, 2, 5, 38), span(USERS, "role", 1), "role"),
                  sym("name", 8, lines(6, 2, 6, 35), span(USERS, "name"), "text")])])

    messy = "table posts {\n  id bigint primary key\n  user_id   uuid not null references users (id) on delete cascade\n  title text; body text\n\n\n  index (user_id)  -- by author\n}\n"
    s.change("posts", 30, [{"text": messy}])
    s.c.pending.clear()
    formatted = ("table posts {\n"
                 "  id      bigint primary key\n"
                 "  user_id uuid   not null references users (id) on delete cascade\n"
                 "  title   text\n"
                 "  body    text\n"
                 "\n"
                 "  index (user_id) -- by author\n"
                 "}\n")
    check("formatting: one edit giving the file as c7gen fmt writes it",
          s.c.call("textDocument/formatting", {"textDocument": {"uri": s.uri("posts")},
                                               "options": {"tabSize": 2, "insertSpaces": True}}),
          {"jsonrpc": "2.0", "id": s.c.next_id - 1, "result": [
              {"range": lines(0, 0, 8, 0), "newText": formatted}]})
    s.change("posts", 31, [{"text": formatted}])
    s.c.pending.clear()
    check("formatting a formatted file: no edits",
          s.c.call("textDocument/formatting", {"textDocument": {"uri": s.uri("posts")},
                                               "options": {"tabSize": 2, "insertSpaces": True}})["result"], [])
    s.change("posts", 32, [{"text": "table posts {\n  id bigint (\n}\n"}])
    s.c.pending.clear()
    check("formatting a file with syntax errors: an error, nothing changed",
          s.c.call("textDocument/formatting", {"textDocument": {"uri": s.uri("posts")},
                                               "options": {"tabSize": 2, "insertSpaces": True}}),
          {"jsonrpc": "2.0", "id": s.c.next_id - 1, "error": {
              "code": -32803, "message": "cannot format: unclosed '('"}})
    s.change("posts", 33, [{"text": POSTS}])
    s.c.pending.clear()


def malformed(s):
    c = s.c

    def error_for(raw):
        c.send_raw(raw)
        while True:
            msg = c.read()
            if "method" not in msg:
                return msg

    def err(code, message, rid=None):
        return {"jsonrpc": "2.0", "id": rid, "error": {"code": code, "message": message}}

    def frame(body):
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    check("invalid JSON: a parse error saying where",
          error_for(frame(b'{"jsonrpc": "2.0", "id": 7, "method": ')),
          err(-32700, "invalid JSON at line 1, column 38: unexpected token near end of file"))
    check("JSON that is no request: invalid request", error_for(frame(b"[1, 2, 3]")),
          err(-32600, "not a JSON-RPC 2.0 request or notification"))
    check("an id that is an object: invalid request, id null",
          error_for(frame(b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}')),
          err(-32600, "not a JSON-RPC 2.0 request or notification"))
    check("the wrong protocol version: invalid request",
          error_for(frame(b'{"jsonrpc": "1.0", "id": 8, "method": "shutdown"}')),
          err(-32600, "not a JSON-RPC 2.0 request or notification", 8))
    check("an unknown method: method not found",
          error_for(frame(b'{"jsonrpc": "2.0", "id": 9, "method": "textDocument/rename"}')),
          err(-32601, "no method 'textDocument/rename'", 9))
    check("parameters of the wrong shape: invalid params",
          error_for(frame(b'{"jsonrpc": "2.0", "id": 10, "method": "textDocument/hover",'
                          b' "params": {"textDocument": {"uri": 5}, "position": {"line": 0, "character": 0}}}')),
          err(-32602, "Expected string, got integer", 10))
    check("a document the server does not know: request failed",
          error_for(frame(b'{"jsonrpc": "2.0", "id": 11, "method": "textDocument/hover",'
                          b' "params": {"textDocument": {"uri": "file:///nowhere.c7"}, "position": {"line": 0, "character": 0}}}')),
          err(-32803, "file:///nowhere.c7 is not an open model file", 11))
    check("a message without Content-Length: an error, and the stream goes on",
          error_for(b"Content-Type: application/json\r\n\r\n"),
          err(-32700, "a message needs a Content-Length header"))
    big = b'{"jsonrpc": "2.0", "id": 12, "method": "x", "params": "' + b"x" * (16 << 20) + b'"}'
    check("a message over 16 MiB: refused and skipped",
          error_for(frame(big)), err(-32600, "message too large"))
    c.send_raw(frame(b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": 5}') +
               frame(b'{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 3}}') +
               frame(b'{"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {}}') +
               frame(b'{"jsonrpc": "2.0", "id": 13, "method": "textDocument/documentSymbol",'
                     b' "params": {"textDocument": {"uri": "%s"}}}' % s.uri("tags").encode()))
    answers = []
    while not answers or answers[-1][0] != 13:
        msg = c.read()
        if "method" not in msg:
            answers.append((msg["id"], msg.get("error", {}).get("code")))
    check("notifications: one that is no JSON-RPC gets an error, unknown or incomplete"
          " ones are ignored", answers, [(None, -32600), (13, None)])
    check("initialize twice: invalid request",
          c.call("initialize", {"capabilities": {}})["error"],
          {"code": -32600, "message": "initialize was already sent"})


def shutdown(s):
    check("shutdown answers null", s.c.call("shutdown", None)["result"], None)
    check("requests after shutdown: invalid request",
          s.c.call("textDocument/documentSymbol", {"textDocument": {"uri": s.uri("posts")}})["error"],
          {"code": -32600, "message": "the server is shutting down"})
    s.c.notify("exit", None)
    check("exit after shutdown: exit status 0", s.c.proc.wait(timeout=10), 0)
    check("nothing on standard error", s.c.proc.stderr.read(), b"")


def out_of_order(work):
    c = Client([C7GEN, "lsp"], cwd=work)
    check("a request before initialize: server not initialized",
          c.call("textDocument/hover", {}),
          {"jsonrpc": "2.0", "id": 1, "error": {"code": -32002,
                                                 "message": "the server is not initialized yet"}})
    c.notify("exit", None)
    check("exit without shutdown: exit status 1", c.proc.wait(timeout=10), 1)

    c = Client([C7GEN, "lsp"], cwd=work)
    c.send_raw(b"Content-Length: 100\r\n\r\n{")
    check("input ending in the middle of a message: the server ends", c.close(), 1)


def encodings(work):
    text = 'table "crème" {\n  "naïve" text  references nope\n}\n'
    for enc, col in (("utf-16", 27), ("utf-8", 28)):
        s = Session(work, [enc] if enc == "utf-8" else None)
        check("position encoding %s is the one agreed" % enc,
              s.init["result"]["capabilities"]["positionEncoding"], enc)
        s.c.notify("initialized", {})
        s.c.notification("textDocument/publishDiagnostics")  # tags.c7 on disk
        s.c.notify("textDocument/didOpen", {"textDocument": {
            "uri": "file://%s/other/odd%%20name.c7" % work, "languageId": "c7",
            "version": 1, "text": text}})
        got = s.diagnostics()
        check("a file outside the models directory is checked alone, columns in %s" % enc, got, {
            "uri": "file://%s/other/odd%%20name.c7" % work, "version": 1, "diagnostics": [
                diag({"start": {"line": 1, "character": col},
                      "end": {"line": 1, "character": col + 4}},
                     "table 'nope' does not exist")]})
        s.c.call("shutdown", None)
        s.c.notify("exit", None)
        s.c.proc.wait(timeout=10)


def main():
    work = project()
    try:
        s = Session(work)
        lifecycle_and_diagnostics(s)
        navigation(s)
        completion(s)
        symbols_and_formatting(s)
        malformed(s)
        shutdown(s)
        out_of_order(work)
        encodings(work)
    finally:
        shutil.rmtree(work)
    print("%d checks, %d failed" % (checks, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
