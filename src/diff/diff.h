/*
 * Schema differ: two IRs in, an ordered change list out.  It sees IR and
 * nothing else.  Matching is by hash map throughout, never pairwise, so the
 * cost grows linearly with the number of objects.
 */
#ifndef C7_DIFF_DIFF_H
#define C7_DIFF_DIFF_H

#include "diff/change.h"

struct arena;
struct hmap;
struct ir_schema;

/* Changes that take `current` to `desired`, already in plan order.
 * Both schemas must have been through ir_schema_sort(). */
struct change_list *diff_schemas(struct arena *a, const struct ir_schema *current,
				 const struct ir_schema *desired);

/* Orders the changes (stable, dependency-correct); called by diff_schemas. */
void plan_order(struct arena *a, struct change_list *cl,
		const struct ir_schema *current, const struct ir_schema *desired);

/* The tables the changes can affect, for checking a plan: those the
 * changes are about (and every table using an enum being rebuilt), the
 * tables whose foreign keys point at them, and what all of these
 * reference, transitively.  Fills `keys`: ir_key -> "schema.name", for
 * tables of either schema. */
void diff_touched_tables(struct arena *a, const struct change_list *cl,
			 const struct ir_schema *current, const struct ir_schema *desired,
			 struct hmap *keys);

#endif
