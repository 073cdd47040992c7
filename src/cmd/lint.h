/*
 * Lint as a step other commands share (c7gen lint, c7gen check): which
 * revisions it looks at by default, and the run with c7gen.ini's levels.
 */
#ifndef C7_CMD_LINT_H
#define C7_CMD_LINT_H

#include <stdbool.h>

#include "cmd/cmd.h"

struct revision_set;
struct vec;

/* Appends the revisions lint checks by default: with a configured
 * database those not applied or applied part way, else all.  Returns -1,
 * or an exit status after reporting. */
int lint_default_revisions(struct cmd_ctx *ctx, const struct revision_set *set,
			   struct vec *out);

/* Appends struct lint_finding for `revs` (of struct revision) at the
 * levels c7gen.ini's [lint] sets, with a configured database's table
 * sizes (lint_small_table_rows).  Returns -1, or an exit status after
 * reporting a bad configuration or a database error. */
int lint_revisions(struct cmd_ctx *ctx, const struct vec *revs, struct vec *findings);

#endif
