/*
 * Shared between the flex scanner, the bison parser and parse.c; nothing
 * else includes it.  All state of one parse lives in struct parse_state, so
 * the scanner and parser are fully reentrant.
 */
#ifndef C7_LANG_PARSE_INTERNAL_H
#define C7_LANG_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "lang/ast.h"

struct arena;

/* Byte offsets into the file; line/column are computed only for messages. */
struct c7_loc {
	size_t start, end;
};

/* Value of a terminal: identifiers folded (unless quoted), strings
 * unescaped.  Keywords carry their folded spelling. */
struct tok {
	const char *text;
	bool quoted;
};

/* Up to two type modifiers as written: numeric(12, 2). */
struct typmods {
	struct tok mods[2];
	int n;
};

struct parse_state {
	struct arena *arena; /* texts the IR keeps: names, expressions */
	struct arena *nodes; /* syntax nodes, dropped after analysis */
	struct diags *diags;
	struct srcfile *file;
	struct ast_model *model;
	size_t offset;       /* scanner position */
	int paren_depth;
	size_t paren_open;   /* offset of the outermost unclosed '(' */
	int brace_depth;
	bool last_was_nl;    /* collapse runs of line ends into one token */
	bool stop;           /* unrecoverable input: end the scan */
	struct vec *tokens;  /* NULL, or where to record struct lex_token */
};

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

/* The generated scanner's interface (flex's reentrant API). */
union YYSTYPE;
struct yy_buffer_state;
int yylex(union YYSTYPE *lval, struct c7_loc *loc, yyscan_t scanner);
int yylex_init_extra(struct parse_state *extra, yyscan_t *scanner);
int yylex_destroy(yyscan_t scanner);
struct yy_buffer_state *yy_scan_bytes(const char *bytes, int len,
				      yyscan_t scanner);

struct span ps_span(const struct parse_state *ps, struct c7_loc loc);
/* Records a token's or comment's range when the caller asked for them. */
void ps_record(struct parse_state *ps, size_t start, size_t end, bool comment);
/* Cleaned source text of [start, end). */
char *ps_text(struct parse_state *ps, size_t start, size_t end);

#endif
