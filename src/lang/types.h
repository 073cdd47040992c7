/*
 * Built-in type spellings of the model language and their canonical
 * format_type() text.  This is fixed knowledge (aliases, modifiers), the
 * one kind of canonicalisation done on the client.
 */
#ifndef C7_LANG_TYPES_H
#define C7_LANG_TYPES_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diags;
struct ast_type;
struct ir_type;
struct suggest;

enum types_result {
	TYPES_OK,
	TYPES_UNKNOWN, /* not a built-in: maybe a user type */
	TYPES_INVALID, /* a built-in used wrongly; an error was reported */
};

/* Resolves a built-in type (ignoring array dimensions, which the caller
 * applies) into `out`. */
enum types_result types_resolve_builtin(struct arena *a, struct diags *d,
					const struct ast_type *t,
					struct ir_type *out);

/* Offers every built-in spelling to a "did you mean" search. */
void types_suggest(struct suggest *s);
/* The i-th built-in spelling in alphabetical order, NULL past the last
 * (for completion). */
const char *types_builtin(size_t i);

/* True for smallint, integer and bigint (identity columns need one). */
bool types_is_integer(const char *canon);

#endif
