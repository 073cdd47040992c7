/* autogenerate's proof that a revision runs, up and down (verify.c). */
#ifndef C7_CMD_VERIFY_H
#define C7_CMD_VERIFY_H

#include "cmd/cmd.h"
#include "cmd/workflow.h"

struct change_list;
struct ir_schema;
struct revision_draft;

struct verify_input {
	const struct revision_draft *draft;
	const struct ir_schema *models;  /* normalised through the server */
	const struct ir_schema *current; /* what the plan was made against */
	const struct change_list *cl;
	/* The copy is a fresh replay of the migrations, not the database
	 * `current` was read from (a configured one). */
	bool replayed;
};

/* Runs the draft's upgrade and downgrade in `copy`, a database at head in
 * the scratch cluster, and checks where each leaves the schema.  Returns -1 when the
 * revision holds; otherwise reports it as c7gen's bug and returns the
 * exit status. */
int verify_revision(struct cmd_ctx *ctx, struct db_session *copy,
		    const struct verify_input *in);

#endif
