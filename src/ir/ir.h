/*
 * The one schema IR.  Both the model front end (src/lang/) and the
 * introspector (src/pg/) produce a struct ir_schema, and the differ compares
 * two of them.  Every value is held in one canonical form so that a schema
 * applied by c7gen and read back compares equal to the model it came from:
 *
 *   - types as format_type() prints them with an empty search_path;
 *   - expressions (defaults, checks, index keys, predicates) as the server
 *     prints them (`canon`), next to the text to render (`src`);
 *   - names as PostgreSQL stores them (folded, never quoted).
 *
 * Objects are kept sorted by schema and name (columns by position) so that
 * everything derived from the IR is deterministic.
 */
#ifndef C7_IR_IR_H
#define C7_IR_IR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/hmap.h"
#include "base/vec.h"

struct arena;
struct strbuf;

enum ir_origin { IR_ORIGIN_MODEL, IR_ORIGIN_DB };

struct ir_names {
	const char **items;
	size_t len;
};

struct ir_type {
	/* format_type() text: "character varying(320)", "public.role[]". */
	const char *canon;
	/* For a type outside pg_catalog (enum, domain, extension type):
	 * where the element type lives; NULL for built-ins. */
	const char *user_schema, *user_name;
	bool is_array;
	/* serial, bigserial, smallserial: 'i', 'b', 's'; otherwise 0. */
	char serial;
};

struct ir_expr {
	const char *src;   /* to render: as written, or the server's text */
	const char *canon; /* the server's text; NULL until normalised */
	struct span span;
};

/* The one-byte fields come last: a large diff holds hundreds of thousands
 * of columns, and padding between fields would add megabytes. */
struct ir_column {
	const char *name;
	struct ir_type type;
	struct ir_expr def;       /* src NULL: no default */
	struct ir_expr generated; /* stored generated column */
	const char *collation;    /* NULL: the type's default */
	const char *comment;
	const char *renamed_from;
	/* Serial or identity column: its sequence's name. */
	const char *seq_name;
	/* Identity column: its sequence's options where they differ from
	 * what the column's type gives; NULL when none do. */
	const struct ir_sequence *identity_seq;
	struct span span;
	struct span renamed_span;
	bool not_null;
	char identity;            /* 0, 'a' (always) or 'd' (by default) */
	/* Serial column read from a database whose sequence is of a narrower
	 * integer type than the column ('i', 's'): a column widened without
	 * its sequence.  0 otherwise, always in models. */
	char seq_width;
};

/* How a constraint or index got its name; decides whether SQL must spell
 * it out and whether a name difference is worth a rename. */
enum ir_naming {
	IR_NAME_DEFAULT,  /* exactly what PostgreSQL picks when unnamed */
	IR_NAME_SUFFIXED, /* PostgreSQL's pick after a collision (t_check1) */
	IR_NAME_GIVEN,    /* chosen by the author */
};

enum ir_con_kind {
	IR_CON_PRIMARY = 'p',
	IR_CON_UNIQUE = 'u',
	IR_CON_FOREIGN = 'f',
	IR_CON_CHECK = 'c',
	/* Exclusion: `check` holds "USING gist (c WITH &&) WHERE (...)". */
	IR_CON_EXCLUDE = 'x',
};

/* pg_constraint's codes. */
enum ir_fk_action {
	IR_FK_NO_ACTION = 'a',
	IR_FK_RESTRICT = 'r',
	IR_FK_CASCADE = 'c',
	IR_FK_SET_NULL = 'n',
	IR_FK_SET_DEFAULT = 'd',
};

/* Widest fields first, the one-byte ones packed at the end. */
struct ir_constraint {
	const char *name;
	struct ir_names cols;
	/* foreign key */
	const char *ref_schema, *ref_table;
	struct ir_names ref_cols;
	/* Foreign key read from a database: the unique index it uses there
	 * (pg_constraint.conindid); NULL in models. */
	const char *ref_index;
	/* check; exclusion: "USING gist (c WITH &&) ..." */
	struct ir_expr check;
	/* primary key, unique: INCLUDE columns */
	struct ir_names include;
	struct span span;
	enum ir_naming naming;
	char kind;
	char on_delete, on_update; /* foreign key */
	char match;     /* foreign key: 's' simple, 'f' full */
	bool nulls_not_distinct; /* unique */
	/* primary key, unique, exclusion, foreign key */
	bool deferrable, deferred;
	bool not_valid; /* check, foreign key */
	bool no_inherit; /* check */
};

struct ir_index_elem {
	const char *column;   /* plain column, or NULL and ... */
	struct ir_expr expr;  /* ... an expression */
	/* The model's text when the server took it for a plain column:
	 * "(email)" is just email. */
	const char *written;
	const char *opclass;  /* NULL: the type's default */
	bool desc;
	bool nulls_first;     /* canonical: explicit even when the default */
};

/* Fields ordered widest first: there are two of these per table on each
 * side of a diff, and padding adds up. */
struct ir_index {
	const char *name;
	const char *method; /* "btree", "gin", ... */
	struct ir_index_elem *elems;
	size_t nelems;
	struct ir_names include;  /* INCLUDE columns */
	struct ir_expr options;   /* storage parameters: "fillfactor=70" */
	struct ir_expr where;
	struct span span;
	enum ir_naming naming;
	bool unique;
	bool nulls_not_distinct;
};

struct ir_table {
	const char *schema, *name;
	const char *key; /* ir_key(schema, name) */
	const char *renamed_from_schema, *renamed_from;
	const char *comment;
	struct vec columns;     /* of struct ir_column, in position order */
	struct vec constraints; /* of struct ir_constraint, ir_sort order */
	struct vec indexes;     /* of struct ir_index, by name */
	struct hmap column_index;
	struct span span;
	struct span renamed_span;
};

struct ir_enum {
	const char *schema, *name;
	const char *key;
	struct ir_names labels;        /* in sort order */
	const char **label_renamed;    /* per label: old label or NULL */
	struct span *label_spans;      /* per label (model only) */
	struct span span;
};

/* A sequence of its own (not one a serial or identity column owns).  All
 * parameters are held explicitly, defaults filled in as PostgreSQL does. */
struct ir_sequence {
	const char *schema, *name;
	const char *key;
	const char *type; /* smallint, integer or bigint */
	long long start, increment, min, max, cache;
	bool cycle;
	struct span span;
};

/* An extension the schema needs.  Extension names are database-wide. */
struct ir_extension {
	const char *name;
	/* Where its objects live; NULL in models that leave it to
	 * CREATE EXTENSION. */
	const char *schema;
	struct span span;
};

struct ir_schema {
	struct arena *arena;
	enum ir_origin origin;
	struct vec namespaces; /* of const char *: schemas that exist */
	/* Schemas holding objects c7gen does not manage (views, functions,
	 * partitions, ...): never dropped. */
	struct hmap occupied;
	struct vec enums;      /* of struct ir_enum */
	struct vec tables;     /* of struct ir_table */
	struct vec sequences;  /* of struct ir_sequence */
	struct vec extensions; /* of struct ir_extension, by name */
	struct hmap table_index;
	struct hmap enum_index;
	struct hmap sequence_index;
};

struct ir_schema *ir_schema_new(struct arena *a, enum ir_origin origin);
/* "schema.name" lookup key, unambiguous for any names. */
const char *ir_key(struct arena *a, const char *schema, const char *name);
/* hmap_get() with the key built on the stack, for lookups. */
void *ir_key_get(const struct hmap *m, struct arena *a, const char *schema,
		 const char *name);

struct ir_table *ir_table_add(struct ir_schema *s, const char *schema,
			      const char *name);
struct ir_enum *ir_enum_add(struct ir_schema *s, const char *schema,
			    const char *name);
struct ir_sequence *ir_sequence_add(struct ir_schema *s, const char *schema,
				    const char *name);
struct ir_sequence *ir_sequence_find(const struct ir_schema *s,
				     const char *schema, const char *name);
struct ir_extension *ir_extension_add(struct ir_schema *s, const char *name,
				      const char *schema);
struct ir_extension *ir_extension_find(const struct ir_schema *s,
				       const char *name);
/* Which options of a sequence differ from what CREATE SEQUENCE would
 * choose without them: what SQL and models need to spell out. */
enum {
	IR_SEQ_AS = 1, IR_SEQ_INCREMENT = 2, IR_SEQ_MIN = 4, IR_SEQ_MAX = 8,
	IR_SEQ_START = 16, IR_SEQ_CACHE = 32, IR_SEQ_CYCLE = 64,
};
unsigned ir_sequence_explicit(const struct ir_sequence *q);
/* Whether every option is what CREATE SEQUENCE AS q->type would choose. */
bool ir_sequence_is_default(const struct ir_sequence *q);
bool ir_sequence_equal(const struct ir_sequence *a, const struct ir_sequence *b);
/* Two identities' options (ir_column.identity_seq, NULL for none of its
 * own): equal whatever the sequences' types, which follow the columns'. */
bool ir_identity_options_equal(const struct ir_sequence *a, const struct ir_sequence *b);
/* Fills what a sequence left unsaid as CREATE SEQUENCE would. */
void ir_sequence_defaults(struct ir_sequence *q, bool has_min, bool has_max,
			  bool has_start, bool has_increment, bool has_cache);
void ir_namespace_add(struct ir_schema *s, const char *name);
bool ir_namespace_has(const struct ir_schema *s, const char *name);
struct ir_table *ir_table_find(const struct ir_schema *s, const char *schema,
			       const char *name);
struct ir_enum *ir_enum_find(const struct ir_schema *s, const char *schema,
			     const char *name);

struct ir_column *ir_column_add(struct ir_schema *s, struct ir_table *t,
				const char *name);
struct ir_column *ir_column_find(const struct ir_table *t, const char *name);
struct ir_constraint *ir_constraint_add(struct ir_schema *s,
					struct ir_table *t, char kind);
struct ir_index *ir_index_add(struct ir_schema *s, struct ir_table *t);
struct ir_constraint *ir_table_pkey(const struct ir_table *t);

/* A shallow copy of `s` with only the tables whose ir_key is in `keys`;
 * everything else (and the tables themselves) is shared. */
struct ir_schema *ir_schema_subset(struct arena *a, const struct ir_schema *s,
				   const struct hmap *keys);

/* Sorts tables, enums, namespaces, constraints and indexes canonically. */
void ir_schema_sort(struct ir_schema *s);

/* The expression text used for comparison. */
const char *ir_expr_cmp(const struct ir_expr *e);
bool ir_expr_equal(const struct ir_expr *a, const struct ir_expr *b);
bool ir_names_equal(const struct ir_names *a, const struct ir_names *b);

/* Type as DDL would spell it: short aliases ("varchar(20)", "timestamptz"),
 * user types qualified unless in the default schema, serial kept. */
void ir_type_render(struct strbuf *sb, const struct ir_type *t);

/* A canonical text dump of the schema, for catalog equality checks and
 * tests; columns and objects are listed by name, never by position. */
void ir_schema_dump(struct strbuf *sb, const struct ir_schema *s);

#endif
