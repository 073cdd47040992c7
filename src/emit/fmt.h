/*
 * The model formatter: one file's syntax tree and tokens in, the file in
 * c7gen's canonical layout out (docs/fmt.md).  It lays out what the
 * grammar knows (declarations, items, names, types, keywords) and keeps
 * everything else as written: expressions, strings, quoted names, enum
 * labels, and every comment, next to what it was next to.  The column
 * layout is inspect's (src/emit/models.c), so inspected models are
 * already formatted.
 */
#ifndef C7_EMIT_FMT_H
#define C7_EMIT_FMT_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;
struct vec;
struct ast_model;

struct fmt_input {
	const char *text;
	size_t len;
	/* Every token and comment of the file, in order (struct lex_token *,
	 * from parse_model_file_tokens()). */
	const struct vec *tokens;
	/* The declarations of this file only, parsed without errors. */
	const struct ast_model *model;
};

/* Appends the formatted file to `out`.  Returns false, appending nothing
 * useful, if the tokens and the tree do not fit together: a bug, which the
 * caller reports rather than writing anything. */
bool fmt_model(struct strbuf *out, const struct fmt_input *in);

#endif
