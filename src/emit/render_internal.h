/* Shared by the renderers of src/emit/ (render.c, enums.c). */
#ifndef C7_EMIT_RENDER_INTERNAL_H
#define C7_EMIT_RENDER_INTERNAL_H

#include <stdbool.h>

#include "diff/change.h"

struct strbuf;

/* One change seen in one direction. */
struct view {
	const struct change *c;
	bool up;
	const void *from, *to;
	const char *sfrom, *sto;
	/* The table as it is named when the statement runs. */
	const struct ir_table *table;
};

/* "-- WARNING: " + fmt with two string arguments. */
void render_warn(struct strbuf *sb, const char *fmt, const char *a,
		 const char *b);
/* schema.table[.column] for messages, in `tmp`. */
const char *render_display(struct strbuf *tmp, const char *schema,
			   const char *name, const char *col);
void render_alter_table(struct strbuf *sb, const struct ir_table *t);
void render_alter_column(struct strbuf *sb, const struct ir_table *t,
			 const char *col);
void render_enum_labels(struct strbuf *sb, const struct view *v,
			struct strbuf *tmp);

#endif
