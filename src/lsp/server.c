#include "lsp/server.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fs.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "lsp/complete.h"
#include "lsp/index.h"
#include "lsp/navigate.h"
#include "lsp/project.h"
#include "lsp/rpc.h"
#include "lsp/symbols.h"

#ifndef C7GEN_VERSION
#define C7GEN_VERSION "dev"
#endif

/* JSON-RPC's and LSP's error codes. */
enum {
	ERR_PARSE = -32700,
	ERR_INVALID_REQUEST = -32600,
	ERR_METHOD_NOT_FOUND = -32601,
	ERR_INVALID_PARAMS = -32602,
	ERR_NOT_INITIALIZED = -32002,
	ERR_REQUEST_FAILED = -32803,
};

enum state { STATE_NEW, STATE_RUNNING, STATE_SHUT_DOWN };

struct server {
	const struct lsp_options *opt;
	FILE *out;
	enum lsp_encoding enc;
	enum state state;
	bool exit;
	struct lsp_project *models;  /* the models directory */
	struct lsp_project **lone;   /* files opened outside it, one each */
	size_t nlone;
};

/* A failed request: code and message, for the error response. */
struct failure {
	int code;
	char message[256];
};

static json_t *fail(struct failure *f, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static json_t *fail(struct failure *f, int code, const char *fmt, ...)
{
	f->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	return NULL;
}

static void send_msg(struct server *s, json_t *msg)
{
	rpc_write(s->out, msg);
	json_decref(msg);
}

static json_t *message(void)
{
	json_t *m = json_obj_new();
	json_obj_put(m, "jsonrpc", json_str_new("2.0"));
	return m;
}

static void respond(struct server *s, json_t *id, json_t *result)
{
	json_t *m = message();
	json_obj_put(m, "id", json_incref(id));
	json_obj_put(m, "result", result);
	send_msg(s, m);
}

static void respond_error(struct server *s, json_t *id, int code, const char *text)
{
	json_t *m = message();
	json_obj_put(m, "id", id ? json_incref(id) : json_null());
	json_t *e = json_obj_new();
	json_obj_put(e, "code", json_int_new(code));
	json_obj_put(e, "message", json_str_new(text));
	json_obj_put(m, "error", e);
	send_msg(s, m);
}

static void notify(struct server *s, const char *method, json_t *params)
{
	json_t *m = message();
	json_obj_put(m, "method", json_str_new(method));
	json_obj_put(m, "params", params);
	send_msg(s, m);
}

/* ---- documents ------------------------------------------------------ */

/* Where a document's path puts it: the models directory's project, or a
 * project of its own. */
static bool under_models(const struct server *s, const char *path)
{
	const char *root = s->models->root;
	size_t n = root ? strlen(root) : 0;
	return root && strncmp(path, root, n) == 0 && path[n] == '/';
}

static struct lsp_doc *find(struct server *s, const char *path,
			    struct lsp_project **owner)
{
	struct lsp_doc *d = lsp_project_doc(s->models, path);
	*owner = s->models;
	for (size_t i = 0; !d && i < s->nlone; i++) {
		d = lsp_project_doc(s->lone[i], path);
		*owner = s->lone[i];
	}
	return d;
}

/* The path a URI stands for; other URIs ("untitled:") stand for
 * themselves. */
static char *path_of(const char *uri)
{
	char *path = lsp_uri_to_path(uri);
	return path ? path : xstrdup(uri);
}

static struct lsp_doc *doc_of(struct server *s, json_t *params,
			      struct lsp_project **owner, struct failure *f)
{
	const char *uri;
	json_error_t err;
	if (json_unpack_ex(params, &err, 0, "{s:{s:s}}", "textDocument", "uri", &uri) != 0) {
		fail(f, ERR_INVALID_PARAMS, "%s", err.text);
		return NULL;
	}
	char *path = path_of(uri);
	struct lsp_doc *d = find(s, path, owner);
	free(path);
	if (!d)
		fail(f, ERR_REQUEST_FAILED, "%s is not an open model file", uri);
	return d;
}

/* Sends each document's diagnostics when they changed since last sent. */
static void publish(struct server *s, struct lsp_project *p)
{
	for (size_t i = 0; i < p->ndocs; i++) {
		struct lsp_doc *d = p->docs[i];
		json_t *list = lsp_doc_diagnostics(p, d, s->enc);
		char *text = json_dumps(list, JSON_COMPACT);
		if (!text)
			BUG("jansson could not serialise diagnostics");
		/* Nothing sent yet is as good as no diagnostics. */
		const char *before = d->published ? d->published : "[]";
		if (strcmp(before, text) == 0 && !d->must_publish) {
			free(text);
			json_decref(list);
			continue;
		}
		free(d->published);
		d->published = text;
		d->must_publish = false;
		json_t *params = json_obj_new();
		json_obj_put(params, "uri", json_str_new(d->uri));
		if (d->open)
			json_obj_put(params, "version", json_int_new(d->version));
		json_obj_put(params, "diagnostics", list);
		notify(s, "textDocument/publishDiagnostics", params);
	}
}

static void clear_diagnostics(struct server *s, const char *uri)
{
	json_t *params = json_obj_new();
	json_obj_put(params, "uri", json_str_new(uri));
	json_obj_put(params, "diagnostics", json_arr_new());
	notify(s, "textDocument/publishDiagnostics", params);
}

static void recheck(struct server *s, struct lsp_project *p)
{
	lsp_project_analyze(p);
	publish(s, p);
}

static void did_open(struct server *s, json_t *params)
{
	const char *uri, *text;
	size_t len;
	json_int_t version = 0;
	if (json_unpack(params, "{s:{s:s, s?I, s:s%}}", "textDocument", "uri", &uri,
			"version", &version, "text", &text, &len) != 0)
		return;
	char *path = path_of(uri);
	struct lsp_project *p;
	struct lsp_doc *d = find(s, path, &p);
	if (d) {
		free(d->uri);
		d->uri = xstrdup(uri);
		lsp_doc_set_text(d, text, len);
	} else {
		if (!under_models(s, path)) {
			s->lone = xrealloc(s->lone, size_mul(s->nlone + 1, sizeof(*s->lone)));
			p = s->lone[s->nlone++] = lsp_project_new(NULL);
		} else {
			p = s->models;
		}
		d = lsp_project_add(p, path, uri, text, len);
	}
	free(path);
	d->open = true;
	d->version = (long)version;
	/* Sent even if unchanged: the editor has just opened it. */
	d->must_publish = true;
	recheck(s, p);
}

/* Applies one TextDocumentContentChangeEvent: a range and its new text,
 * or the whole text.  A malformed one changes nothing. */
static void apply_change(struct server *s, struct lsp_doc *d, json_t *change)
{
	const char *text;
	size_t len;
	json_int_t l1, c1, l2, c2;
	if (json_unpack(change, "{s:{s:{s:I, s:I}, s:{s:I, s:I}}, s:s%}", "range", "start",
			"line", &l1, "character", &c1, "end", "line", &l2, "character", &c2,
			"text", &text, &len) == 0) {
		const char *old = strbuf_str(&d->text);
		size_t n = d->text.len;
		size_t a = lsp_offset_of(old, n, &d->lines, s->enc, (struct lsp_pos){ l1, c1 });
		size_t b = lsp_offset_of(old, n, &d->lines, s->enc, (struct lsp_pos){ l2, c2 });
		if (b < a)
			b = a;
		struct strbuf next = STRBUF_INIT;
		strbuf_add(&next, old, a);
		strbuf_add(&next, text, len);
		strbuf_add(&next, old + b, n - b);
		lsp_doc_set_text(d, strbuf_str(&next), next.len);
		strbuf_release(&next);
	} else if (json_unpack(change, "{s:s%}", "text", &text, &len) == 0) {
		lsp_doc_set_text(d, text, len);
	}
}

static void did_change(struct server *s, json_t *params)
{
	struct lsp_project *p;
	struct failure f;
	struct lsp_doc *d = doc_of(s, params, &p, &f);
	json_t *changes = json_object_get(params, "contentChanges");
	if (!d || !json_is_array(changes))
		return;
	size_t i;
	json_t *change;
	json_array_foreach(changes, i, change)
		apply_change(s, d, change);
	json_int_t version;
	if (json_unpack(params, "{s:{s:I}}", "textDocument", "version", &version) == 0)
		d->version = (long)version;
	recheck(s, p);
}

/* The file goes back to what is on disk, or out of the project. */
static void did_close(struct server *s, json_t *params)
{
	struct lsp_project *p;
	struct failure f;
	struct lsp_doc *d = doc_of(s, params, &p, &f);
	if (!d)
		return;
	struct arena *a = arena_new();
	char *text;
	size_t len;
	bool on_disk = p == s->models && fs_read(a, d->path, &text, &len) == 0;
	char *uri = xstrdup(d->uri);
	if (on_disk) {
		d->open = false;
		lsp_doc_set_text(d, text, len);
	} else {
		lsp_project_remove(p, d);
		clear_diagnostics(s, uri);
	}
	free(uri);
	arena_free(a);
	if (p != s->models && p->ndocs == 0) {
		for (size_t i = 0; i < s->nlone; i++)
			if (s->lone[i] == p)
				s->lone[i] = s->lone[--s->nlone];
		lsp_project_free(p);
		return;
	}
	recheck(s, p);
}

/* ---- requests ------------------------------------------------------- */

static bool offers_utf8(json_t *params)
{
	json_t *encs = json_object_get(json_object_get(json_object_get(params,
		"capabilities"), "general"), "positionEncodings");
	size_t i;
	json_t *e;
	json_array_foreach(encs, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), "utf-8") == 0)
			return true;
	return false;
}

static json_t *initialize(struct server *s, json_t *params, struct failure *f)
{
	if (s->state != STATE_NEW)
		return fail(f, ERR_INVALID_REQUEST, "initialize was already sent");
	s->state = STATE_RUNNING;
	s->enc = offers_utf8(params) ? LSP_UTF8 : LSP_UTF16;
	lsp_project_load(s->models);
	lsp_project_analyze(s->models);

	json_t *caps = json_obj_new();
	json_obj_put(caps, "positionEncoding", json_str_new(s->enc == LSP_UTF8 ? "utf-8" : "utf-16"));
	json_t *sync = json_obj_new();
	json_obj_put(sync, "openClose", json_true());
	json_obj_put(sync, "change", json_int_new(2)); /* incremental */
	json_obj_put(caps, "textDocumentSync", sync);
	json_obj_put(caps, "definitionProvider", json_true());
	json_obj_put(caps, "referencesProvider", json_true());
	json_obj_put(caps, "hoverProvider", json_true());
	json_t *completion = json_obj_new();
	json_t *triggers = json_arr_new();
	json_arr_put(triggers, json_str_new("("));
	json_arr_put(triggers, json_str_new(","));
	json_arr_put(triggers, json_str_new("."));
	json_obj_put(completion, "triggerCharacters", triggers);
	json_obj_put(caps, "completionProvider", completion);
	json_obj_put(caps, "documentSymbolProvider", json_true());
	json_obj_put(caps, "documentFormattingProvider", json_boolean(s->opt->format != NULL));
	json_t *result = json_obj_new();
	json_obj_put(result, "capabilities", caps);
	json_t *info = json_obj_new();
	json_obj_put(info, "name", json_str_new("c7gen"));
	json_obj_put(info, "version", json_str_new(C7GEN_VERSION));
	json_obj_put(result, "serverInfo", info);
	return result;
}

static json_t *shut_down(struct server *s, json_t *params, struct failure *f)
{
	(void)params;
	(void)f;
	s->state = STATE_SHUT_DOWN;
	return json_null();
}

/* A TextDocumentPositionParams' document and byte offset. */
static struct lsp_doc *at(struct server *s, json_t *params,
			  struct lsp_project **p, size_t *offset,
			  struct failure *f)
{
	json_int_t line, ch;
	json_error_t err;
	if (json_unpack_ex(params, &err, 0, "{s:{s:I, s:I}}", "position", "line", &line,
			   "character", &ch) != 0) {
		fail(f, ERR_INVALID_PARAMS, "%s", err.text);
		return NULL;
	}
	struct lsp_doc *d = doc_of(s, params, p, f);
	if (!d)
		return NULL;
	*offset = lsp_offset_of(d->file->text, d->file->len, &d->lines, s->enc,
				(struct lsp_pos){ line, ch });
	return d;
}

/* As at(), with the project's names indexed for navigation. */
static struct lsp_doc *at_name(struct server *s, json_t *params,
			       struct lsp_project **p, size_t *offset,
			       struct failure *f)
{
	struct lsp_doc *d = at(s, params, p, offset, f);
	if (d)
		lsp_index_build(*p);
	return d;
}

static json_t *definition(struct server *s, json_t *params, struct failure *f)
{
	struct lsp_project *p;
	size_t offset;
	struct lsp_doc *d = at_name(s, params, &p, &offset, f);
	return d ? lsp_definition(p, d, offset, s->enc) : NULL;
}

static json_t *references(struct server *s, json_t *params, struct failure *f)
{
	struct lsp_project *p;
	size_t offset;
	struct lsp_doc *d = at_name(s, params, &p, &offset, f);
	int with_decl = 0;
	json_unpack(params, "{s:{s:b}}", "context", "includeDeclaration", &with_decl);
	return d ? lsp_references(p, d, offset, with_decl, s->enc) : NULL;
}

static json_t *hover(struct server *s, json_t *params, struct failure *f)
{
	struct lsp_project *p;
	size_t offset;
	struct lsp_doc *d = at_name(s, params, &p, &offset, f);
	return d ? lsp_hover(d, offset, s->enc) : NULL;
}

static json_t *completion(struct server *s, json_t *params, struct failure *f)
{
	struct lsp_project *p;
	size_t offset;
	struct lsp_doc *d = at(s, params, &p, &offset, f);
	return d ? lsp_complete(p, d, offset) : NULL;
}

static json_t *symbols(struct server *s, json_t *params, struct failure *f)
{
	struct lsp_project *p;
	struct lsp_doc *d = doc_of(s, params, &p, f);
	return d ? lsp_symbols(d, s->enc) : NULL;
}

/* One edit replacing the whole text, or none when it is formatted. */
static json_t *formatting(struct server *s, json_t *params, struct failure *f)
{
	struct lsp_project *p;
	struct lsp_doc *d = doc_of(s, params, &p, f);
	if (!d)
		return NULL;
	if (!s->opt->format)
		return fail(f, ERR_METHOD_NOT_FOUND, "formatting is not available");
	struct arena *a = arena_new();
	struct diags diags;
	diags_init(&diags, a);
	struct srcfile *file = srcfile_new(a, d->path, d->file->text, d->file->len);
	struct strbuf out = STRBUF_INIT;
	json_t *edits = NULL;
	if (!s->opt->format(&diags, file, &out)) {
		const struct diag *g = diags.list.len ? diags.list.items[0] : NULL;
		fail(f, ERR_REQUEST_FAILED, "cannot format: %s",
		     g ? g->msg : "the file has errors");
	} else {
		edits = json_arr_new();
		if (out.len != d->file->len || memcmp(strbuf_str(&out), d->file->text, out.len) != 0) {
			json_t *e = json_obj_new();
			json_obj_put(e, "range", lsp_range(d, s->enc, 0, d->file->len));
			json_obj_put(e, "newText", json_strn_new(strbuf_str(&out), out.len));
			json_arr_put(edits, e);
		}
	}
	strbuf_release(&out);
	arena_free(a);
	return edits;
}

/* ---- dispatch ------------------------------------------------------- */

struct method {
	const char *name;
	json_t *(*request)(struct server *s, json_t *params, struct failure *f);
	void (*notification)(struct server *s, json_t *params);
};

static void initialized(struct server *s, json_t *params)
{
	(void)params;
	publish(s, s->models);
}

static void exit_notification(struct server *s, json_t *params)
{
	(void)params;
	s->exit = true;
}

static const struct method methods[] = {
	{ "exit", NULL, exit_notification },
	{ "initialize", initialize, NULL },
	{ "initialized", NULL, initialized },
	{ "shutdown", shut_down, NULL },
	{ "textDocument/completion", completion, NULL },
	{ "textDocument/definition", definition, NULL },
	{ "textDocument/didChange", NULL, did_change },
	{ "textDocument/didClose", NULL, did_close },
	{ "textDocument/didOpen", NULL, did_open },
	{ "textDocument/documentSymbol", symbols, NULL },
	{ "textDocument/formatting", formatting, NULL },
	{ "textDocument/hover", hover, NULL },
	{ "textDocument/references", references, NULL },
};

static const struct method *method_named(const char *name)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(*methods); i++)
		if (strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

static void request(struct server *s, const char *name, json_t *id, json_t *params)
{
	const struct method *m = method_named(name);
	if (s->state == STATE_NEW && strcmp(name, "initialize") != 0) {
		respond_error(s, id, ERR_NOT_INITIALIZED, "the server is not initialized yet");
		return;
	}
	if (s->state == STATE_SHUT_DOWN) {
		respond_error(s, id, ERR_INVALID_REQUEST, "the server is shutting down");
		return;
	}
	if (!m || !m->request) {
		struct strbuf msg = STRBUF_INIT;
		strbuf_addf(&msg, "no method '%s'", name);
		respond_error(s, id, ERR_METHOD_NOT_FOUND, strbuf_str(&msg));
		strbuf_release(&msg);
		return;
	}
	struct failure f = { 0, "" };
	json_t *result = m->request(s, params, &f);
	if (result)
		respond(s, id, result);
	else
		respond_error(s, id, f.code, f.message);
}

static void notification(struct server *s, const char *name, json_t *params)
{
	const struct method *m = method_named(name);
	/* Before initialize only exit counts; after shutdown too. */
	if (!m || !m->notification)
		return;
	if (m->notification != exit_notification && s->state != STATE_RUNNING)
		return;
	m->notification(s, params);
}

static void handle(struct server *s, const struct strbuf *body)
{
	json_error_t err;
	json_t *msg = json_loadb(strbuf_str(body), body->len, JSON_REJECT_DUPLICATES, &err);
	if (!msg) {
		struct strbuf text = STRBUF_INIT;
		strbuf_addf(&text, "invalid JSON at line %d, column %d: %s", err.line,
			    err.column, err.text);
		respond_error(s, NULL, ERR_PARSE, strbuf_str(&text));
		strbuf_release(&text);
		return;
	}
	json_t *id = json_object_get(msg, "id");
	json_t *method = json_object_get(msg, "method");
	json_t *params = json_object_get(msg, "params");
	const char *version = json_string_value(json_object_get(msg, "jsonrpc"));
	bool id_ok = !id || json_is_integer(id) || json_is_string(id);
	if (!json_is_object(msg) || !version || strcmp(version, "2.0") != 0 || !id_ok ||
	    (method && !json_is_string(method)) ||
	    (params && !json_is_object(params) && !json_is_array(params) &&
	     !json_is_null(params))) {
		respond_error(s, id_ok ? id : NULL, ERR_INVALID_REQUEST,
			      "not a JSON-RPC 2.0 request or notification");
	} else if (!method) {
		/* A response: the server sends no requests, so none is awaited. */
	} else if (id) {
		request(s, json_string_value(method), id, params ? params : json_null());
	} else {
		notification(s, json_string_value(method), params ? params : json_null());
	}
	json_decref(msg);
}

int lsp_serve(const struct lsp_options *opt, FILE *in, FILE *out)
{
	struct server s = { 0 };
	s.opt = opt;
	s.out = out;
	s.models = lsp_project_new(opt->models_dir);
	struct rpc_reader r = { in, opt->max_body ? opt->max_body : RPC_MAX_BODY };
	struct strbuf body = STRBUF_INIT;
	while (!s.exit) {
		enum rpc_status st = rpc_read(&r, &body);
		if (st == RPC_EOF)
			break;
		if (st == RPC_BAD_HEADER)
			respond_error(&s, NULL, ERR_PARSE,
				      "a message needs a Content-Length header");
		else if (st == RPC_TOO_LARGE)
			respond_error(&s, NULL, ERR_INVALID_REQUEST, "message too large");
		else
			handle(&s, &body);
	}
	strbuf_release(&body);
	lsp_project_free(s.models);
	for (size_t i = 0; i < s.nlone; i++)
		lsp_project_free(s.lone[i]);
	free(s.lone);
	return s.state == STATE_SHUT_DOWN ? 0 : 1;
}
