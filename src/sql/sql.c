#include "sql/sql.h"

#include <string.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "base/arena.h"
#include "base/vec.h"

/* The parser counts its cursor in characters from 1; c7gen's spans are
 * bytes.  Input is valid UTF-8 (revision files are checked on load). */
static size_t char_to_byte(const char *s, size_t len, int cursor)
{
	size_t i = 0;
	for (int c = 1; c < cursor && i < len; c++)
		for (i++; i < len && ((unsigned char)s[i] & 0xC0) == 0x80; i++)
			;
	return i;
}

/* The tokens of `s`, or NULL if the scanner rejects it; free with
 * pg_query__scan_result__free_unpacked(). */
static PgQuery__ScanResult *scan(const char *s)
{
	PgQueryScanResult r = pg_query_scan(s);
	PgQuery__ScanResult *tokens = NULL;
	if (!r.error)
		tokens = pg_query__scan_result__unpack(NULL, r.pbuf.len,
						       (const uint8_t *)r.pbuf.data);
	pg_query_free_scan_result(r);
	return tokens;
}

static bool is_comment(const PgQuery__ScanToken *t)
{
	return t->token == PG_QUERY__TOKEN__SQL_COMMENT ||
	       t->token == PG_QUERY__TOKEN__C_COMMENT;
}

/* Sets each statement's `start`: its first token that is not a comment.
 * One scan of the whole text, walked alongside the statements (both are
 * in text order), keeps this linear. */
static void set_starts(const char *s, size_t len, struct vec *out, size_t first)
{
	PgQuery__ScanResult *tokens = scan(s);
	size_t t = 0;
	for (size_t i = first; i < out->len; i++) {
		struct sql_stmt *st = out->items[i];
		while (tokens && t < tokens->n_tokens &&
		       ((size_t)tokens->tokens[t]->start < st->offset || is_comment(tokens->tokens[t])))
			t++;
		st->start = tokens && t < tokens->n_tokens ? (size_t)tokens->tokens[t]->start : len;
		if (st->start > st->offset + st->len)
			st->start = st->offset + st->len;
	}
	if (tokens)
		pg_query__scan_result__free_unpacked(tokens, NULL);
}

/* True if the statement ending just before `end` (a ';') is COPY FROM
 * STDIN, whose data lines follow it in a psql script. */
static bool copy_from_stdin(struct arena *a, const char *s, size_t end)
{
	PgQuerySplitResult r = pg_query_split_with_scanner(arena_strndup(a, s, end));
	bool copy = false;
	if (!r.error && r.n_stmts > 0) {
		const PgQuerySplitStmt *last = r.stmts[r.n_stmts - 1];
		struct sql_error ignored;
		PgQuery__ParseResult *tree = sql_parse(
			a, arena_strndup(a, s + last->stmt_location, (size_t)last->stmt_len),
			&ignored);
		if (tree && tree->n_stmts == 1) {
			const PgQuery__Node *n = tree->stmts[0]->stmt;
			copy = n->node_case == PG_QUERY__NODE__NODE_COPY_STMT &&
			       n->copy_stmt->is_from && !*n->copy_stmt->filename;
		}
		sql_tree_free(tree);
	}
	pg_query_free_split_result(r);
	return copy;
}

/* Offset of the line holding `at`. */
static size_t line_start(const char *s, size_t at)
{
	while (at > 0 && s[at - 1] != '\n')
		at--;
	return at;
}

/* psql scripts are not SQL: say so instead of "syntax error at or near". */
static void explain(struct arena *a, const char *s, size_t len, struct sql_error *err)
{
	size_t line = line_start(s, err->offset);
	while (line < len && (s[line] == ' ' || s[line] == '\t'))
		line++;
	if (line < len && s[line] == '\\') {
		size_t n = strcspn(s + line, " \t\r\n");
		err->offset = line;
		err->message = arena_printf(a, "psql meta-command '%.*s' is not supported in revisions",
					    (int)n, s + line);
		err->hint = "revisions are sent to the server statement by statement, not run by psql";
		return;
	}
	/* COPY's data starts on the line after the statement. */
	size_t prev = line;
	while (prev > 0 && (s[prev - 1] == '\n' || s[prev - 1] == '\r' ||
			    s[prev - 1] == ' ' || s[prev - 1] == '\t'))
		prev--;
	if (prev > 0 && s[prev - 1] == ';' && copy_from_stdin(a, s, prev - 1)) {
		err->offset = line;
		err->message = "COPY ... FROM stdin data is not supported in revisions";
		err->hint = "write the rows as INSERT statements, or COPY from a file on the server";
	}
}

static void set_error(struct arena *a, const char *s, size_t len,
		      const PgQueryError *e, struct sql_error *err)
{
	err->offset = e->cursorpos > 0 ? char_to_byte(s, len, e->cursorpos) : 0;
	err->message = arena_strdup(a, e->message);
	err->hint = NULL;
	explain(a, s, len, err);
}

bool sql_split(struct arena *a, const char *sql, size_t len, struct vec *out,
	       struct sql_error *err)
{
	const char *s = arena_strndup(a, sql, len);
	PgQuerySplitResult r = pg_query_split_with_parser(s);
	bool ok = !r.error;
	if (!ok)
		set_error(a, s, len, r.error, err);
	size_t first = out->len;
	for (int i = 0; ok && i < r.n_stmts; i++) {
		struct sql_stmt *st = arena_alloc(a, sizeof(*st));
		st->offset = (size_t)r.stmts[i]->stmt_location;
		st->len = (size_t)r.stmts[i]->stmt_len;
		st->text = arena_strndup(a, s + st->offset, st->len);
		vec_push(a, out, st);
	}
	pg_query_free_split_result(r);
	if (ok && out->len > first)
		set_starts(s, len, out, first);
	return ok;
}

PgQuery__ParseResult *sql_parse(struct arena *a, const char *sql,
				struct sql_error *err)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	PgQuery__ParseResult *tree = NULL;
	if (r.error)
		set_error(a, sql, strlen(sql), r.error, err);
	else
		tree = pg_query__parse_result__unpack(NULL, r.parse_tree.len,
						      (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	return tree;
}

void sql_tree_stmts(struct arena *a, const char *sql, const PgQuery__ParseResult *tree,
		    struct vec *out)
{
	size_t len = strlen(sql), first = out->len;
	for (size_t i = 0; i < tree->n_stmts; i++) {
		const PgQuery__RawStmt *raw = tree->stmts[i];
		struct sql_stmt *st = arena_alloc(a, sizeof(*st));
		st->offset = (size_t)raw->stmt_location;
		/* The last statement without a ';' has length 0: "to the end". */
		st->len = raw->stmt_len ? (size_t)raw->stmt_len : len - st->offset;
		st->text = arena_strndup(a, sql + st->offset, st->len);
		vec_push(a, out, st);
	}
	if (out->len > first)
		set_starts(sql, len, out, first);
}

void sql_tree_free(PgQuery__ParseResult *tree)
{
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
}
