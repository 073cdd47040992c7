/*
 * What every subcommand gets from main.c: the run's arena and diagnostics,
 * the resolved configuration, and its own arguments.  Subcommands are the
 * only code that chains pipeline stages, prints, and picks an exit status.
 */
#ifndef C7_CMD_CMD_H
#define C7_CMD_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/diag.h"
#include "base/vec.h"

struct arena;
struct target_config;

enum exit_status {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1, /* differences found, check failed */
	EXIT_USAGE = 2,    /* usage or invalid input */
	EXIT_DATABASE = 3,
	EXIT_LOCK = 4,
};

/* A `name = value` line of a c7gen.ini section. */
struct config_pair {
	const char *name;
	const char *value;
};

struct config {
	const char *path;       /* c7gen.ini found, or NULL */
	const char *root;       /* directory paths are relative to */
	const char *models;
	const char *migrations;
	const char *url;        /* NULL: the embedded scratch database */
	const char *url_source; /* "--url", "C7GEN_DATABASE_URL", ... */
	const char *schemas;    /* extra managed schemas, comma separated */
	const char *version_table;
	const char *ddl_lock_timeout; /* as written; checked by the runner commands */
	const char *ddl_retries;
	struct vec lint;        /* of struct config_pair: [lint] RULE = LEVEL */
	const char *lint_small_table_rows; /* as written; checked by lint */
	const char *dev_port;   /* TCP port of `dev start`'s server; NULL: socket only */
	int jobs;               /* --jobs: connections reading the catalog at once */
	struct target_config *targets; /* fleet sections, or NULL (cmd/targets.h) */
	const char *online; /* as written; checked by autogenerate */
};

/* Phase timings for the benchmark, printed when C7GEN_TIMINGS is set. */
#define TIMING_MAX 16
struct timings {
	bool enabled;
	double last;
	const char *names[TIMING_MAX];
	double seconds[TIMING_MAX];
	int n;
	size_t round_trips;
	unsigned tables_built, tables_cached; /* by the normaliser */
};

struct cmd_ctx {
	struct arena *arena;
	struct diags diags;
	struct config cfg;
	bool color_err;
	int argc;
	char **argv; /* argv[0] is the command name */
	struct timings timings;
	FILE *query_log; /* C7GEN_QUERY_LOG: every statement sent */
};

/* Records the time since the previous mark under `phase`. */
void timing_mark(struct cmd_ctx *ctx, const char *phase);
void timing_report(struct cmd_ctx *ctx);

struct cmd {
	const char *name;
	int (*run)(struct cmd_ctx *ctx);
	const char *summary;
	const char *usage; /* full help text */
};

const struct cmd *cmd_find(const char *name);
void cmd_print_help(FILE *out, const struct cmd *c);

/* Loads c7gen.ini and the environment; --url etc. were already applied.
 * Returns false (with a diagnostic) on a broken configuration. */
/* `online` in c7gen.ini: 1 (also when unset) or 0; -1 after reporting a
 * value that is neither true nor false. */
int config_online(struct cmd_ctx *ctx);
bool config_load(struct cmd_ctx *ctx, const char *explicit_path,
		 const char *url_flag, const char *models_flag,
		 const char *migrations_flag);

/* Registers the scratch server's postmaster (0: none) so that Ctrl-C or a
 * termination signal still shuts it down.  Implemented in main.c, the one
 * place with process-wide state. */
void cli_guard_server(pid_t pid);

/* Prints the diagnostics gathered so far to stderr. */
void cmd_report(struct cmd_ctx *ctx);
/* "c7gen: error: ..." on stderr. */
void cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Flushes stdout and reports a failed write; returns `status` or
 * EXIT_USAGE if stdout could not be written. */
int cmd_finish(struct cmd_ctx *ctx, int status);

/* Argument parsing shared by subcommands: --help is handled; an unknown
 * option is a usage error. */
struct opt {
	const char *long_name; /* "message" */
	char short_name;       /* 'm' or 0 */
	bool takes_value;
	const char **value;    /* set when it takes a value */
	bool *flag;            /* set when it does not */
};

/* Parses ctx->argv; positional arguments are collected in order.  Returns
 * -1 to continue, or an exit status (help printed, usage error). */
int cmd_parse(struct cmd_ctx *ctx, const struct opt *opts, const char ***pos,
	      int *npos);

int cmd_autogenerate(struct cmd_ctx *ctx);
int cmd_branches(struct cmd_ctx *ctx);
int cmd_check(struct cmd_ctx *ctx);
int cmd_current(struct cmd_ctx *ctx);
int cmd_dev(struct cmd_ctx *ctx);
int cmd_diff(struct cmd_ctx *ctx);
int cmd_downgrade(struct cmd_ctx *ctx);
int cmd_fmt(struct cmd_ctx *ctx);
int cmd_heads(struct cmd_ctx *ctx);
int cmd_history(struct cmd_ctx *ctx);
int cmd_init(struct cmd_ctx *ctx);
int cmd_inspect(struct cmd_ctx *ctx);
int cmd_lint(struct cmd_ctx *ctx);
int cmd_lsp(struct cmd_ctx *ctx);
int cmd_merge(struct cmd_ctx *ctx);
int cmd_revision(struct cmd_ctx *ctx);
int cmd_show(struct cmd_ctx *ctx);
int cmd_squash(struct cmd_ctx *ctx);
int cmd_stamp(struct cmd_ctx *ctx);
int cmd_targets(struct cmd_ctx *ctx);
int cmd_upgrade(struct cmd_ctx *ctx);

#endif
