/*
 * Enum label arithmetic shared by the planner (which decides whether a
 * label change runs in place or rebuilds the type) and the renderer
 * (which writes it).
 */
#ifndef C7_IR_ENUMLABELS_H
#define C7_IR_ENUMLABELS_H

#include <stdbool.h>
#include <stddef.h>

struct ir_enum;

/* The labels of `from` as they read once the rename hints of `want` (the
 * desired enum) are applied in one direction: `up` renames old -> new, the
 * downgrade new -> old.  A hint applies when its old label is in `from`,
 * its new label is not, and `to` has it.  from_after must hold
 * from->labels.len entries. */
void enum_labels_after_renames(const struct ir_enum *from,
			       const struct ir_enum *to,
			       const struct ir_enum *want, bool up,
			       const char **from_after);

/* Whether going from `from_after` (n labels) to `to` only adds labels,
 * keeping the existing ones in their order. */
bool enum_labels_additive(const char *const *from_after, size_t n,
			  const struct ir_enum *to);

bool enum_has_label(const struct ir_enum *e, const char *label);

#endif
