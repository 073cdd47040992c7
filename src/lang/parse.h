/*
 * Model-file front end: scanner + parser over one source file, appending its
 * declarations to an ast_model.  Errors go to the diagnostics; parsing goes
 * on past them so one run reports every independent mistake.
 */
#ifndef C7_LANG_PARSE_H
#define C7_LANG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang/ast.h"

struct arena;
struct diags;

/* Nesting deeper than this is refused with its own message, which keeps
 * both the parser stack and later recursive walks bounded. */
#define PARSE_MAX_DEPTH 200

/* Parses `file` (owned by the caller, text kept alive by it) into `model`.
 * Names and expression texts go into `a`, syntax nodes into `nodes` (which
 * may be `a`): the nodes are dead once lang_analyze() has run, the texts
 * live on in the IR.  Returns false if any error was reported. */
bool parse_model_file(struct arena *a, struct arena *nodes, struct diags *d,
		      struct srcfile *file, struct ast_model *model);

/* Where a token or a comment is in the file, as the scanner saw it. */
struct lex_token {
	uint32_t start, end;
	bool comment;
};

/* As parse_model_file(), also appending every token and comment the
 * scanner read, in file order, to `tokens` (struct lex_token *, in
 * `nodes`): what the formatter needs to keep comments where they were. */
bool parse_model_file_tokens(struct arena *a, struct arena *nodes,
			     struct diags *d, struct srcfile *file,
			     struct ast_model *model, struct vec *tokens);

/* Appends every declaration of `from` to `into` (vectors in `a`): how
 * files parsed one by one become one model. */
void ast_model_merge(struct arena *a, struct ast_model *into,
		     const struct ast_model *from);

/* Cleans expression source text: comments dropped, whitespace runs outside
 * quotes collapsed to one space, ends trimmed. */
char *expr_clean(struct arena *a, const char *text, size_t len);

#endif
