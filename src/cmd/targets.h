/*
 * Fleet targets: the databases (or schemas in a database) that one command
 * takes to a revision together.  They come from c7gen.ini, in this order:
 * `[target NAME]` sections, then the lines of `[targets] file = PATH`, then
 * the rows of `[targets] query = SQL` run on `control_url`.  `${NAME}` in a
 * URL is replaced by the environment variable, so no secret need live in
 * the file; passwords are never printed.
 */
#ifndef C7_CMD_TARGETS_H
#define C7_CMD_TARGETS_H

#include <stdbool.h>

#include "base/vec.h"
#include "cmd/cmd.h"

struct target {
	const char *name;
	const char *url;    /* ${ENV} replaced once selected */
	const char *schema; /* schema-per-tenant: the tenant's schema, or NULL */
	const char *group;  /* or NULL */
	const char *origin; /* "c7gen.ini", "tenants.txt:4", "query" */
};

/* The settings of c7gen.ini's target sections, gathered by config_load. */
struct target_config {
	struct vec defs; /* of struct target, [target NAME] in file order */
	const char *file, *query, *control_url, *group;
	const char *ini; /* the c7gen.ini they came from */
};

/* Takes one key of a `[target NAME]` or `[targets]` section; returns false
 * after reporting an unknown key.  `section` is the section's name. */
bool targets_config_key(struct cmd_ctx *ctx, const char *section,
			const char *key, const char *value);

/* Every configured target (URLs as written); reads the targets file and
 * runs the discovery query.  Returns -1, or an exit
 * status after reporting (2 bad configuration, 3 control database). */
int targets_resolve(struct cmd_ctx *ctx, struct vec *out);

/* The targets `selector` names: "all", a target, a group, or a comma
 * separated list of those; each target once, in configuration order, with
 * ${ENV} replaced in its URL.  False after reporting a name that matches
 * nothing, an unset variable or a URL libpq cannot read. */
bool targets_select(struct cmd_ctx *ctx, const struct vec *all,
		    const char *selector, struct vec *out);

#endif
