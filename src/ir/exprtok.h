/*
 * A small tokenizer for SQL expression text.  It does not parse: it is only
 * used where PostgreSQL's naming rules look at an expression's shape (which
 * columns a check mentions, what an index expression's column is called).
 */
#ifndef C7_IR_EXPRTOK_H
#define C7_IR_EXPRTOK_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct vec;

enum exprtok_kind {
	EXPRTOK_END,
	EXPRTOK_IDENT,  /* folded unless quoted */
	EXPRTOK_STRING,
	EXPRTOK_NUMBER,
	EXPRTOK_OP,     /* operator characters, "::" included */
	EXPRTOK_PUNCT,  /* ( ) [ ] , . */
};

struct exprtok {
	enum exprtok_kind kind;
	const char *text; /* IDENT: the name; OP/PUNCT: the characters */
	bool quoted;
};

/* Splits `expr` into tokens (struct exprtok *) appended to `out`. */
void exprtok_split(struct arena *a, const char *expr, struct vec *out);

/* The distinct names in `expr` used as plain column references: not
 * called as functions, not qualified, not type names after "::". */
void exprtok_column_refs(struct arena *a, const char *expr, struct vec *out);

/* Whether `expr` casts something to the type schema.name (or an array
 * of it), qualified or not: "::public.mood", "::mood[]".  With `literal`
 * set, only a cast of that string constant counts ('happy'::public.mood),
 * which is how the server prints an enum label in an expression. */
bool exprtok_casts_to(struct arena *a, const char *expr, const char *schema,
		      const char *name, const char *literal);

/* Length of the parenthesised group at s[0] == '(' up to and including
 * its ')' (quotes respected); the rest of s if it never closes. */
size_t exprtok_group_len(const char *s);

/* PostgreSQL's FigureIndexColname(): "lower" for lower(email), the column
 * for a plain or cast column, "expr" for anything else. */
const char *exprtok_index_colname(struct arena *a, const char *expr);

#endif
