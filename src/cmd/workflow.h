/*
 * Steps several subcommands share: opening the database the configuration
 * names, and computing the plan between the models and that database.
 */
#ifndef C7_CMD_WORKFLOW_H
#define C7_CMD_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "cmd/cmd.h"

struct pg_conn;
struct pg_error;
struct ir_schema;
struct change_list;

struct scratch;
struct revision_set;

struct db_session {
	struct pg_conn *conn;
	struct scratch *scratch; /* the embedded database, when in use */
	const char *dbname;      /* its per-command database; NULL for dev */
	struct arena *arena;
};

/* Connects to the configured database, or with none configured to a fresh
 * database in the scratch cluster.  On failure reports and returns the
 * exit status to use; on success returns -1. */
int db_open(struct cmd_ctx *ctx, struct db_session *db);
/* The persistent database of `c7gen dev` in the project's cluster. */
#define DEV_DATABASE "dev"

/* For the commands that move a database between revisions: the
 * configured database, or with none configured the dev database (created
 * empty when missing), which outlives the command. */
int db_open_dev(struct cmd_ctx *ctx, struct db_session *db);
/* Starts the project's cluster without opening a database (`c7gen dev`). */
int start_cluster(struct cmd_ctx *ctx, struct db_session *db);
/* Connects a started cluster to the dev database, creating it if missing. */
int open_dev_database(struct cmd_ctx *ctx, struct db_session *db);
/* dev_port from c7gen.ini: 0 when unset; false after reporting a bad one. */
bool dev_port(struct cmd_ctx *ctx, int *port);
/* Like db_open; in the scratch database, first replays every revision so
 * the database is at the head of the migrations. */
int db_open_at_head(struct cmd_ctx *ctx, struct db_session *db,
		    const struct revision_set *set);
/* A fresh, empty database in the scratch cluster, whatever the
 * configuration says; `why` tells the user why it is used. */
int db_open_scratch(struct cmd_ctx *ctx, struct db_session *db, const char *why);
/* Applies every revision to the (empty) database; quiet unless it fails.
 * Returns -1, or an exit status after reporting. */
int replay(struct cmd_ctx *ctx, struct db_session *db,
	   const struct revision_set *set);
/* replay() up to `target` (an upgrade target) only. */
int replay_to(struct cmd_ctx *ctx, struct db_session *db,
	      const struct revision_set *set, const char *target);
/* Closes; drops a per-command scratch database (never the dev database)
 * and stops the server unless it is kept running (`dev start`). */
void db_close(struct db_session *db);

/* Reports a database error (message, detail, hint) on stderr. */
void report_db_error(struct cmd_ctx *ctx, const char *what,
		     const struct pg_error *err);

/* The schemas c7gen manages: public, those the models name, and those
 * listed in c7gen.ini. */
/* "a, b,a" -> a, b: a comma-separated list of names, trimmed, each once,
 * appended to `out`. */
void split_names(struct cmd_ctx *ctx, const char *list, struct vec *out);
void managed_schemas(struct cmd_ctx *ctx, const struct ir_schema *models,
		     const char ***out, size_t *n);

/* c7gen's own tables, excluded from every comparison ("schema.name"). */
void own_tables(struct cmd_ctx *ctx, const char ***out, size_t *n);

/* Loads the models; reports and returns NULL on errors. */
struct ir_schema *load_models(struct cmd_ctx *ctx);

/* Reads the database's schema: the schemas c7gen manages for these
 * models, without c7gen's own tables.  On failure reports and returns
 * NULL with *status set. */
struct ir_schema *read_schema(struct cmd_ctx *ctx, struct db_session *db,
			      const struct ir_schema *models, int *status);

/* read_schema() limited to the tables named ("schema.name"); schemas,
 * enums, sequences and extensions are read whole. */
struct ir_schema *read_tables(struct cmd_ctx *ctx, struct db_session *db,
			      const struct ir_schema *models, const char *const *only,
			      size_t nonly, int *status);

/* Introspects the database, normalises the models through it and diffs;
 * the database's schema in *current_out when it is not NULL.  On failure
 * reports and returns NULL with *status set. */
struct change_list *plan_against(struct cmd_ctx *ctx, struct db_session *db,
				 struct ir_schema *models,
				 const struct ir_schema **current_out, int *status);

#endif
