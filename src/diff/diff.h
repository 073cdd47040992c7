/*
 * Schema differ: two IRs in, an ordered change list out.  It sees IR and
 * nothing else.  Matching is by hash map throughout, never pairwise, so the
 * cost grows linearly with the number of objects.
 */
#ifndef C7_DIFF_DIFF_H
#define C7_DIFF_DIFF_H

#include "diff/change.h"

struct arena;
struct ir_schema;

/* Changes that take `current` to `desired`, already in plan order.
 * Both schemas must have been through ir_schema_sort(). */
struct change_list *diff_schemas(struct arena *a, const struct ir_schema *current,
				 const struct ir_schema *desired);

/* Orders the changes (stable, dependency-correct); called by diff_schemas. */
void plan_order(struct arena *a, struct change_list *cl,
		const struct ir_schema *current, const struct ir_schema *desired);

#endif
