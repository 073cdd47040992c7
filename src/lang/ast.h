/*
 * Syntax tree of the model language, as the parser builds it: names are
 * folded, strings unescaped, expressions kept as cleaned source text, and
 * every node carries the byte span it came from.  No meaning is attached
 * yet; src/lang/sema.c turns this into the schema IR.
 */
#ifndef C7_LANG_AST_H
#define C7_LANG_AST_H

#include <stdbool.h>

#include "base/diag.h"
#include "base/vec.h"

struct ast_name {
	const char *text;
	struct span span;
};

struct ast_qname {
	const char *schema; /* NULL when not qualified */
	const char *name;
	struct span span;
};

struct ast_type {
	const char *schema; /* only for user-defined types */
	/* Folded base spelling: "integer", "double precision",
	 * "character varying", "timestamp", or a user type's name. */
	const char *name;
	const char *tz; /* NULL, "with" or "without" */
	const char *fields; /* interval: "second", "day to second" */
	long mods[2];
	struct span span;
	struct span name_span;
	unsigned char nmods;
	unsigned char array_dims; /* at most 6, as in PostgreSQL */
	bool quoted;    /* name was double-quoted: never a built-in alias */
};

struct ast_expr {
	const char *text; /* comments removed, whitespace collapsed */
	struct span span;
};

enum ast_fk_action {
	AST_FK_NONE = 0, /* not written: NO ACTION */
	AST_FK_NO_ACTION = 'a',
	AST_FK_RESTRICT = 'r',
	AST_FK_CASCADE = 'c',
	AST_FK_SET_NULL = 'n',
	AST_FK_SET_DEFAULT = 'd',
};

struct ast_fkref {
	struct ast_qname table;
	struct vec cols; /* of struct ast_name; empty: the target's key */
	char on_delete, on_update;
	char match;      /* 0, 's' or 'f' */
	struct span span;
};

/* What may follow a table constraint or index. */
struct ast_modifiers {
	bool deferrable, not_deferrable, deferred, immediate, not_valid, no_inherit;
	bool nulls_not_distinct;
	struct vec include; /* of struct ast_name */
	struct ast_expr *with;
	struct ast_name *method; /* indexes: USING */
	struct ast_expr *where;  /* indexes: WHERE */
	struct span span;
	struct span inherit_span;
};

enum ast_attr_kind {
	AST_ATTR_NOT_NULL,
	AST_ATTR_NULL,
	AST_ATTR_PRIMARY_KEY,
	AST_ATTR_UNIQUE,
	AST_ATTR_DEFAULT,
	AST_ATTR_REFERENCES,
	AST_ATTR_CHECK,
	AST_ATTR_COMMENT,
	AST_ATTR_IDENTITY_ALWAYS,
	AST_ATTR_IDENTITY_BY_DEFAULT,
	AST_ATTR_GENERATED,
	AST_ATTR_COLLATE,
	AST_ATTR_RENAMED,
	/* modifiers of the constraint before them */
	AST_ATTR_DEFERRABLE,
	AST_ATTR_NOT_DEFERRABLE,
	AST_ATTR_INITIALLY_DEFERRED,
	AST_ATTR_INITIALLY_IMMEDIATE,
	AST_ATTR_NO_INHERIT,
	AST_ATTR_NOT_VALID,
};

struct ast_attr {
	enum ast_attr_kind kind;
	struct span span;
	struct ast_name *con_name; /* constraint NAME prefix */
	struct ast_expr *expr;     /* default, check, generated */
	struct ast_fkref *ref;
	struct ast_name *text;     /* comment, collation, old name */
	struct vec *seqopts;       /* identity: of struct ast_seq_option, or NULL */
};

struct ast_column {
	struct ast_name name;
	struct ast_type type;
	struct vec attrs; /* of struct ast_attr */
};

enum ast_item_kind {
	AST_ITEM_COLUMN,
	AST_ITEM_PRIMARY_KEY,
	AST_ITEM_UNIQUE,
	AST_ITEM_FOREIGN_KEY,
	AST_ITEM_CHECK,
	AST_ITEM_EXCLUDE,
	AST_ITEM_INDEX,
	AST_ITEM_COMMENT,
};

enum ast_nulls { AST_NULLS_DEFAULT, AST_NULLS_FIRST, AST_NULLS_LAST };

struct ast_index_elem {
	struct ast_name *column; /* a plain column, or ... */
	struct ast_expr *expr;   /* ... an expression: "lower(email)", "(a + b)" */
	struct ast_qname *opclass;
	bool desc;
	enum ast_nulls nulls;
	struct span span;
};

/* Most items are columns, so what only keys or only indexes need shares
 * its space (a large model's syntax tree is the peak of its memory). */
struct ast_item {
	enum ast_item_kind kind;
	struct span span;
	struct ast_column *column;
	struct ast_name *con_name;  /* constraint NAME, or the index's name */
	struct ast_expr *expr;      /* check expression, exclusion elements */
	struct ast_name *comment;
	struct ast_modifiers *mods; /* constraint and index modifiers, or NULL */
	union {
		struct {                    /* primary key, unique, foreign key */
			struct vec cols;    /* of struct ast_name */
			struct ast_fkref *ref;
		};
		struct {                    /* index, exclusion constraint */
			struct vec elems;   /* of struct ast_index_elem */
			struct ast_name *method;
			struct ast_expr *where;
			bool unique;        /* unique index */
		};
	};
};

struct ast_label {
	const char *text;
	struct span span;
	struct ast_name *renamed_from;
};

struct ast_enum {
	struct ast_qname name;
	struct vec labels; /* of struct ast_label */
	struct span span;
};

struct ast_table {
	struct ast_qname name;
	struct ast_qname *renamed_from;
	struct vec items; /* of struct ast_item */
	struct span span;
	bool broken;      /* a syntax error inside; its items are what parsed */
};

/* A sequence option: which one, and its number (sign included). */
enum ast_seq_opt {
	AST_SEQ_START,
	AST_SEQ_INCREMENT,
	AST_SEQ_MINVALUE,
	AST_SEQ_NO_MINVALUE,
	AST_SEQ_MAXVALUE,
	AST_SEQ_NO_MAXVALUE,
	AST_SEQ_CACHE,
	AST_SEQ_CYCLE,
	AST_SEQ_NO_CYCLE,
	AST_SEQ_AS,
};

struct ast_seq_option {
	enum ast_seq_opt kind;
	long long value;
	struct ast_type *type; /* AST_SEQ_AS */
	struct span span;
};

struct ast_sequence {
	struct ast_qname name;
	struct vec options; /* of struct ast_seq_option */
	struct span span;
};

struct ast_extension {
	struct ast_name name;
	struct ast_name *schema; /* NULL: wherever CREATE EXTENSION puts it */
	struct span span;
};

/* Every declaration of every model file, in file and source order. */
struct ast_model {
	struct vec enums;     /* of struct ast_enum */
	struct vec tables;    /* of struct ast_table */
	struct vec sequences; /* of struct ast_sequence */
	struct vec schemas;   /* of struct ast_name: schema declarations */
	struct vec extensions; /* of struct ast_extension */
};

#endif
