/*
 * PostgreSQL's own parser (libpg_query, the grammar of PostgreSQL 15)
 * behind one small interface: statements split exactly as the server reads
 * them, the parse tree for the linter, and the parser's message at a byte
 * offset when it rejects the text.  Only this module calls pg_query_*();
 * src/lint/ reads the protobuf tree (pg_query.pb-c.h) it returns.
 */
#ifndef C7_SQL_SQL_H
#define C7_SQL_SQL_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct vec;
struct PgQuery__ParseResult;

struct sql_stmt {
	const char *text; /* without the terminating ';' */
	size_t offset;    /* of `text` in the input: just past the previous ';' */
	size_t len;
	size_t start;     /* offset of its first token (after comments) */
};

/* Why the parser rejected a text. */
struct sql_error {
	size_t offset;       /* byte offset in the input */
	const char *message; /* the parser's message, or c7gen's for psql-isms */
	const char *hint;    /* NULL or how to write it instead */
};

/* Appends struct sql_stmt for each statement of `sql` (comments alone are
 * none).  False if the parser rejects the text: `err` says where and why,
 * and nothing is appended.  Everything allocated is in `a`. */
bool sql_split(struct arena *a, const char *sql, size_t len, struct vec *out,
	       struct sql_error *err);

/* The parse tree of `sql` (NUL-terminated), or NULL with `err` filled.
 * Locations in the tree are byte offsets in `sql`.  The caller frees the
 * tree with sql_tree_free(). */
struct PgQuery__ParseResult *sql_parse(struct arena *a, const char *sql,
					struct sql_error *err);
void sql_tree_free(struct PgQuery__ParseResult *tree);
/* The statements of a tree sql_parse() returned for `sql`, as sql_split()
 * gives them, without parsing again. */
void sql_tree_stmts(struct arena *a, const char *sql,
		    const struct PgQuery__ParseResult *tree, struct vec *out);

#endif
