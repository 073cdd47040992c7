/*
 * The revision history as commands see it: files loaded and checked, the
 * version tables the configuration names, the database's applied state.
 */
#ifndef C7_CMD_REVISIONS_H
#define C7_CMD_REVISIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "cmd/cmd.h"
#include "cmd/workflow.h"
#include "pg/versions.h"
#include "revs/plan.h"
#include "revs/revs.h"

/* Loads migrations/; reports and returns false on any problem. */
bool load_revisions(struct cmd_ctx *ctx, struct revision_set *set);

void version_tables_of(struct cmd_ctx *ctx, struct version_tables *vt);

struct db_state {
	struct applied *rows;
	size_t nrows;
	struct progress *partial; /* revisions applied part way */
	size_t npartial;
	bool exists; /* the version table exists */
	struct revs_state st;
	/* applied revisions whose file changed since */
	struct vec edited; /* of struct revision */
};

/* Reads the applied revisions.  Returns -1, or an exit status after
 * reporting. */
int read_db_state(struct cmd_ctx *ctx, struct db_session *db,
		  const struct revision_set *set, const struct version_tables *vt,
		  struct db_state *state);

/* Reports edited and missing applied revisions (those applied part way
 * included) as errors (refuse) or warnings; returns how many there are. */
size_t report_drift(struct cmd_ctx *ctx, const struct db_state *state,
		    bool as_errors);

/* One line on where a revision applied part way stopped:
 * "the upgrade stopped after step 1 of 3; next: step 2 (FILE:LINE)". */
const char *describe_partial(struct cmd_ctx *ctx, const struct revision *r,
			     const struct rev_progress *p);

/* True when the database's applied heads are exactly the graph's heads
 * and nothing is applied part way. */
bool at_head(struct cmd_ctx *ctx, const struct revision_set *set,
	     const struct db_state *state);

/* Writes a new revision into migrations/ and says where. */
int write_revision(struct cmd_ctx *ctx, const struct revision_spec *spec);
/* Writes a composed revision into migrations/ and says where. */
int write_draft(struct cmd_ctx *ctx, const struct revision_draft *d);
/* Sets the new revision's parent to the single head (none if there are
 * no revisions); false after reporting several heads. */
bool parent_of_new(struct cmd_ctx *ctx, const struct revision_set *set,
		   struct revision_spec *spec);
/* autogenerate -m MESSAGE (also revision --autogenerate); `verify` runs
 * the revision up and down in the scratch cluster before writing it. */
int autogenerate(struct cmd_ctx *ctx, const char *message, bool verify, bool atomic);

#endif
