/*
 * Change list -> SQL.  One pass renders either direction of the same plan:
 * the upgrade walks the changes forward, the downgrade backward with every
 * change inverted.
 */
#ifndef C7_EMIT_EMIT_H
#define C7_EMIT_EMIT_H

#include <stddef.h>

struct strbuf;
struct change_list;

enum emit_direction { EMIT_UP, EMIT_DOWN };

/* Appends the statements, each followed by a blank line, with -- WARNING:
 * comments before anything that can lose data or fail on a populated
 * table.  Returns the number of statements written. */
size_t emit_sql(struct strbuf *sb, const struct change_list *cl,
		enum emit_direction dir);

#endif
