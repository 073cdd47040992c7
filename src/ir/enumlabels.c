#include "ir/enumlabels.h"

#include <string.h>

#include "ir/ir.h"

bool enum_has_label(const struct ir_enum *e, const char *label)
{
	for (size_t i = 0; i < e->labels.len; i++)
		if (strcmp(e->labels.items[i], label) == 0)
			return true;
	return false;
}

void enum_labels_after_renames(const struct ir_enum *from,
			       const struct ir_enum *to,
			       const struct ir_enum *want, bool up,
			       const char **from_after)
{
	for (size_t i = 0; i < from->labels.len; i++)
		from_after[i] = from->labels.items[i];
	for (size_t i = 0; want->label_renamed && i < want->labels.len; i++) {
		const char *renamed = want->label_renamed[i];
		if (!renamed)
			continue;
		const char *old = up ? renamed : want->labels.items[i];
		const char *new = up ? want->labels.items[i] : renamed;
		if (!enum_has_label(from, old) || enum_has_label(from, new) ||
		    !enum_has_label(to, new))
			continue;
		for (size_t k = 0; k < from->labels.len; k++)
			if (strcmp(from_after[k], old) == 0)
				from_after[k] = new;
	}
}

bool enum_labels_additive(const char *const *from_after, size_t n,
			  const struct ir_enum *to)
{
	size_t k = 0;
	for (size_t i = 0; i < to->labels.len && k < n; i++)
		if (strcmp(to->labels.items[i], from_after[k]) == 0)
			k++;
	return k == n;
}
