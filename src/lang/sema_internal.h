/* State shared by the semantic-analysis passes (sema*.c, naming.c). */
#ifndef C7_LANG_SEMA_INTERNAL_H
#define C7_LANG_SEMA_INTERNAL_H

#include "base/hmap.h"
#include "base/vec.h"
#include "ir/ir.h"
#include "lang/ast.h"

struct arena;
struct diags;

/* A foreign key waiting for every table to be known. */
struct pending_fk {
	struct ir_table *table;
	struct ir_constraint *con;
	const struct ast_fkref *ref;
};

struct sema {
	struct arena *a;
	struct diags *d;
	struct ir_schema *ir;
	struct hmap enum_decls;  /* ir_key -> struct ast_enum */
	struct hmap table_decls; /* ir_key -> struct ast_table */
	struct vec tables;       /* struct ir_table, in declaration order */
	struct vec pending;      /* struct pending_fk */
};

/* "name" in the default schema, "schema.name" elsewhere, for messages. */
const char *sema_display(struct sema *s, const char *schema, const char *name);
/* Finds a table as a reference from `from_schema` would: qualified names
 * exactly, unqualified ones in the same schema first, then the default. */
struct ir_table *sema_lookup_table(struct sema *s, const char *schema,
				   const char *name, const char *from_schema);

void sema_resolve_foreign_keys(struct sema *s);
void sema_check_renames(struct sema *s);
void sema_assign_names(struct sema *s);

#endif
