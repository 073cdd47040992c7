/*
 * c7gen's entry: global options, the command table, and the exit status.
 * This is the only place with process-wide state (the run's arena).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "cmd/cmd.h"

#ifndef C7GEN_VERSION
#define C7GEN_VERSION "dev"
#endif

static int cmd_help(struct cmd_ctx *ctx);

/* The scratch server to stop if c7gen is interrupted.  A signal handler can
 * only reach it through a global. */
static volatile pid_t guarded_server;

static void on_fatal_signal(int sig)
{
	pid_t pid = guarded_server;
	if (pid > 0)
		kill(pid, SIGINT); /* the postmaster's fast shutdown */
	signal(sig, SIG_DFL);
	raise(sig);
}

void cli_guard_server(pid_t pid)
{
	guarded_server = pid;
}

static void install_signal_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++) {
		/* A signal ignored by whoever started us (a background job's
		 * SIGINT, nohup's SIGHUP) stays ignored, as shells expect. */
		struct sigaction old;
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

/* Sorted by name; `c7gen help` lists them in this order. */
/* The fleet options, the same on every command that takes --targets. */
#define FLEET_HELP \
	"Fleets (docs/fleet.md): --targets NAME|GROUP|all runs on the targets\n" \
	"c7gen.ini names, --parallel N at a time (default 4), the first\n" \
	"--canary N first (the rest only if all of them succeed), stopping at\n" \
	"the first failure with --fail-fast; --format json for the report.\n" \
	"Exit status 0 all good, 1 some failed or not at head, 3 unreachable.\n"

static const struct cmd commands[] = {
	{ "autogenerate", cmd_autogenerate, "write a revision that takes the database to the models",
	  "usage: c7gen autogenerate -m MESSAGE [--atomic] [--no-verify]\n"
	  "\n"
	  "Compares the models with the database at the head of the migrations\n"
	  "and writes migrations/<revision>_<slug>.sql with upgrade and downgrade\n"
	  "SQL.  With no differences it prints \"No changes detected.\" and writes\n"
	  "nothing.  Refuses when the database is not at head.\n"
	  "\n"
	  "Before writing, the revision is run up and down in a copy of the schema\n"
	  "at head in the scratch cluster (never in a configured database): the\n"
	  "upgrade must reach the models exactly and the downgrade must restore\n"
	  "the schema at head exactly.  If not, nothing is written and c7gen\n"
	  "reports its own bug (exit status 2).  --no-verify skips the check.\n"
	  "\n"
	  "The revision is an online plan (docs/online.md): steps that build and\n"
	  "drop indexes CONCURRENTLY, validate constraints apart, and so on.\n"
	  "--atomic (or online = false in c7gen.ini) writes one transaction.\n" },
	{ "branches", cmd_branches, "show branch points of the revision graph",
	  "usage: c7gen branches\n" },
	{ "check", cmd_check, "CI gate: exit 1 on any finding",
	  "usage: c7gen check [--roundtrip] [--format text|json]\n"
	  "                   [--targets NAME|GROUP|all [--parallel N] [--fail-fast]]\n"
	  "\n"
	  "Reports every finding, each naming what it is about, and exits 1 if\n"
	  "there is any: more than one head; revision files that do not parse;\n"
	  "with a configured database, applied revisions edited or missing, the\n"
	  "database not at head; with no database configured, migrations that do\n"
	  "not apply to an empty scratch database; lint errors in the revisions\n"
	  "(those not applied, with a configured database; see c7gen lint);\n"
	  "and, always, models that differ from the schema at head (with the SQL\n"
	  "autogenerate would write).\n"
	  "A configured database is never changed.\n"
	  "\n"
	  "  --roundtrip   (scratch only) upgrade, downgrade and upgrade each\n"
	  "                revision, checking each downgrade restores the catalog\n"
	  "  --format json findings for machines\n"
	  "\n"
	  FLEET_HELP },
	{ "current", cmd_current, "show the applied revisions and edited files",
	  "usage: c7gen current [-v] [--targets NAME|GROUP|all [fleet options]]\n"
	  "\n"
	  "Prints the applied heads, revisions applied part way (and the step they\n"
	  "stopped at), and warns about applied revisions whose file was edited\n"
	  "(SHA-256 changed) or deleted; exit status 1 if any of these.\n"
	  "\n"
	  FLEET_HELP },
	{ "dev", cmd_dev, "the persistent dev database, for projects with no database configured",
	  "usage: c7gen dev start|stop|url|psql [ARGS...]|reset|status\n"
	  "\n"
	  "With no database configured, upgrade, downgrade, stamp, current,\n"
	  "history -i and show current work on the database 'dev' in the project's\n"
	  "own cluster, which survives between commands.  autogenerate, diff and\n"
	  "check still compare against a fresh replay of the migrations.\n"
	  "\n"
	  "  start    keep the server running for the application: Unix socket,\n"
	  "           and TCP on localhost at dev_port (c7gen.ini) when set\n"
	  "  stop     stop it\n"
	  "  url      print a libpq URI for the dev database\n"
	  "  psql     run psql on the dev database (starts the server; ARGS go to psql)\n"
	  "  reset    drop the dev database and re-create it from the migrations\n"
	  "  status   the server, the URI and the applied revisions\n" },
	{ "diff", cmd_diff, "print the SQL that autogenerate would write",
	  "usage: c7gen diff [--from empty] [--atomic]\n"
	  "\n"
	  "Prints the upgrade SQL that takes the database to the models, and\n"
	  "writes nothing.  Exit status 0 whether or not there are differences.\n"
	  "\n"
	  "  --from empty   diff against an empty database: the full CREATE script\n"
	  "                 for the models; needs no database at all\n"
	  "  --atomic       the one-transaction plan, not the online one\n" },
	{ "downgrade", cmd_downgrade, "revert revisions",
	  "usage: c7gen downgrade TARGET [--sql] [--single-transaction]\n"
	  "                       [--lock-timeout SECONDS] [--allow-edited]\n"
	  "                       [--ddl-lock-timeout DURATION] [--ddl-retries N]\n"
	  "                       [--targets NAME|GROUP|all [fleet options]]\n"
	  "\n"
	  "TARGET: -N (the last N applied), a revision id or unique prefix\n"
	  "(revisions after it are reverted), REV-N, or base (everything).\n"
	  "A revision applied part way has the steps it did undone.  Statements\n"
	  "wait at most --ddl-lock-timeout for a lock, as for upgrade.\n"
	  "With --sql, TARGET may be FROM:TO and a psql script is printed instead\n"
	  "of touching a database.\n"
	  "\n"
	  FLEET_HELP },
	{ "fmt", cmd_fmt, "rewrite model files in the canonical layout",
	  "usage: c7gen fmt [--check] [--diff] [FILE|DIR...]\n"
	  "       c7gen fmt -\n"
	  "\n"
	  "Rewrites model files (default: the models directory; directories are\n"
	  "searched for *.c7) in the layout inspect writes: one item per line,\n"
	  "column names and types aligned, keywords in lower case.  Comments stay\n"
	  "where they were; expressions, strings, quoted names and enum labels are\n"
	  "kept as written.  Prints the files it changed.  A file is only written\n"
	  "when its new text gives exactly the same models.  '-' formats standard\n"
	  "input to standard output.  See docs/fmt.md.\n"
	  "\n"
	  "  --check   write nothing; list the files that would change and exit 1\n"
	  "            if there are any (for CI and pre-commit hooks)\n"
	  "  --diff    write nothing; print the changes as a unified diff\n" },
	{ "heads", cmd_heads, "show the heads of the revision graph",
	  "usage: c7gen heads [-v]\n" },
	{ "help", cmd_help, "show help for a command",
	  "usage: c7gen help [COMMAND]\n" },
	{ "history", cmd_history, "list revisions, newest first",
	  "usage: c7gen history [-v] [-i] [-r FROM:TO]\n"
	  "\n"
	  "Marks heads, merges and, with a configured database or -i\n"
	  "(--indicate-current), applied revisions; with no database configured\n"
	  "-i reads the dev database (see 'c7gen help dev').\n" },
	{ "init", cmd_init, "create c7gen.ini, models/ and migrations/",
	  "usage: c7gen init [DIR]\n"
	  "\n"
	  "Creates c7gen.ini, models/ and migrations/ in DIR (default: the\n"
	  "current directory) and adds .c7gen/ to .gitignore.  Existing files\n"
	  "are left alone.\n" },
	{ "inspect", cmd_inspect, "write model files describing an existing database",
	  "usage: c7gen inspect [--out DIR] [--schema NAME,...] [--split schema|table]\n"
	  "                     [--force]\n"
	  "\n"
	  "Reads the configured database and writes model files for its tables and\n"
	  "enums into DIR (default: the models directory): one file per schema,\n"
	  "or per table with --split table.  Names PostgreSQL would choose anyway\n"
	  "are left out; expressions are written as the server prints them.  Kinds\n"
	  "outside the model language (views, functions, triggers, ...) are counted\n"
	  "and left alone.  Existing files are only replaced with --force.\n"
	  "See docs/adopting.md.\n" },
	{ "lint", cmd_lint, "check revisions for what hurts production",
	  "usage: c7gen lint [--format text|json|github] [REV|FILE...]\n"
	  "       c7gen lint --model-files [--format text|json|github]\n"
	  "       c7gen lint --rules\n"
	  "\n"
	  "Checks the upgrade section of revision files with PostgreSQL's parser\n"
	  "for statements that lock, rewrite or break a running application\n"
	  "(docs/lint.md): each finding at FILE:LINE:COL with its rule and fix.\n"
	  "With no arguments: the revisions not yet applied when a database is\n"
	  "configured, else every revision in the migrations directory.  REV is\n"
	  "a revision id or unique prefix, FILE any revision file.\n"
	  "Silence a finding with '-- c7gen-lint: ignore RULE (reason)' on the\n"
	  "lines before the statement, or in the header for the whole file.\n"
	  "Levels per rule (error, warning, off) in c7gen.ini's [lint] section.\n"
	  "Exit status 1 if any finding is an error.\n"
	  "\n"
	  "  --format json|github  findings for machines, or as GitHub annotations\n"
	  "  --model-files         check the model files instead (foreign keys\n"
	  "                        without an index leading with their columns)\n"
	  "  --rules               list the rules\n" },
	{ "lsp", cmd_lsp, "language server for editors (on stdin/stdout)",
	  "usage: c7gen lsp [--stdio]\n"
	  "\n"
	  "Speaks the Language Server Protocol on standard input and output for\n"
	  "the models directory (and any other model file the editor opens):\n"
	  "the same diagnostics as the command line on every change, go to\n"
	  "definition, find references, hover, completion, document symbols and\n"
	  "formatting (as c7gen fmt).  Needs no database.  Editors start it\n"
	  "themselves; see \"Editor support\" in the README.\n" },
	{ "merge", cmd_merge, "write a revision joining heads",
	  "usage: c7gen merge -m MESSAGE [REV...]\n"
	  "\n"
	  "Writes an empty revision whose parents are the given revisions, or all\n"
	  "heads.\n" },
	{ "revision", cmd_revision, "write an empty revision for hand-written SQL",
	  "usage: c7gen revision -m MESSAGE [--autogenerate [--no-verify]]\n" },
	{ "show", cmd_show, "print one revision",
	  "usage: c7gen show REV\n"
	  "\n"
	  "REV may be 'current': the applied head of the configured database, or\n"
	  "of the dev database when none is configured.\n" },
	{ "squash", cmd_squash, "write one revision replacing a revision and its ancestors",
	  "usage: c7gen squash --to REV -m MESSAGE\n"
	  "\n"
	  "Writes one revision that builds the whole schema at REV (replayed in the\n"
	  "scratch database) and downgrades to empty; its '-- replaces:' header\n"
	  "lists REV and its ancestors.  While their files remain, the squash is\n"
	  "dormant and check proves it builds the same schema; once they are all\n"
	  "deleted it stands for them: a database that applied them all counts as\n"
	  "at the squash, and revisions after REV follow it.  See docs/revisions.md.\n" },
	{ "stamp", cmd_stamp, "mark a revision applied without running SQL",
	  "usage: c7gen stamp REV [--purge] [--targets NAME|GROUP|all [fleet options]]\n"
	  "\n"
	  "Makes REV and its ancestors exactly the applied revisions, running no\n"
	  "SQL.  --purge first empties the version table (for unknown revisions).\n"
	  "\n"
	  FLEET_HELP },
	{ "targets", cmd_targets, "list the fleet's targets",
	  "usage: c7gen targets [--targets NAME|GROUP|all] [--format text|json]\n"
	  "\n"
	  "Lists the targets c7gen.ini names ([target NAME] sections, the\n"
	  "[targets] file and the rows of its discovery query), with group,\n"
	  "schema and connection settings; passwords are never printed.\n" },
	{ "upgrade", cmd_upgrade, "apply revisions",
	  "usage: c7gen upgrade [TARGET] [--sql] [--single-transaction]\n"
	  "                     [--lock-timeout SECONDS] [--allow-edited]\n"
	  "                     [--ddl-lock-timeout DURATION] [--ddl-retries N]\n"
	  "                     [--targets NAME|GROUP|all [--parallel N] [--canary N]\n"
	  "                     [--fail-fast] [--format text|json]]\n"
	  "\n"
	  "TARGET: head (default), heads, a revision id or unique prefix of at\n"
	  "least 4 characters, +N, or REV+N.  Each step of a revision runs in its\n"
	  "own transaction (--single-transaction: all in one) under an advisory\n"
	  "lock (--lock-timeout: default wait 60 s); a revision applied part way\n"
	  "resumes at the step that stopped.  Each statement waits at most\n"
	  "--ddl-lock-timeout (default 2s, PostgreSQL units; 'off') for a lock, and\n"
	  "a step that times out is retried up to --ddl-retries times (default 10).\n"
	  "Refuses when an applied revision file was edited unless --allow-edited.\n"
	  "With --sql, TARGET may be FROM:TO and a psql script is printed instead\n"
	  "of touching a database.\n"
	  "\n"
	  FLEET_HELP },
};

#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static const char global_usage[] =
	"usage: c7gen [--config FILE] [--url URL] [--models DIR] [--migrations DIR]\n"
	"             [--no-color] COMMAND [ARGS]\n"
	"\n"
	"Keeps a PostgreSQL schema in step with declarative model files.\n"
	"\n"
	"Commands:\n";

static const char global_footer[] =
	"\n"
	"Global options (before or after the command):\n"
	"  --config FILE      use FILE instead of searching for c7gen.ini\n"
	"  --url URL          database to use (else C7GEN_DATABASE_URL, DATABASE_URL,\n"
	"                     the url in c7gen.ini, or the embedded scratch database)\n"
	"  --models DIR       model directory (default: models)\n"
	"  --migrations DIR   revision directory (default: migrations)\n"
	"  --jobs N           connections reading the catalog at once (default 3;\n"
	"                     fewer are used when the server refuses more)\n"
	"  --no-color         never colour messages (also: NO_COLOR)\n"
	"  --version          print the version\n"
	"\n"
	"Exit status: 0 success, 1 differences found or check failed, 2 usage or\n"
	"invalid input, 3 database error, 4 lock timeout.\n"
	"See 'c7gen help COMMAND' for one command.\n";

const struct cmd *cmd_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_global_help(FILE *out)
{
	fputs(global_usage, out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fputs(global_footer, out);
}

void cmd_print_help(FILE *out, const struct cmd *c)
{
	if (!c) {
		print_global_help(out);
		return;
	}
	fputs(c->usage, out);
}

static int cmd_help(struct cmd_ctx *ctx)
{
	if (ctx->argc < 2) {
		print_global_help(stdout);
		return cmd_finish(ctx, EXIT_OK);
	}
	const struct cmd *c = cmd_find(ctx->argv[1]);
	if (!c) {
		cmd_error(ctx, "no such command '%s' (see 'c7gen help')", ctx->argv[1]);
		return EXIT_USAGE;
	}
	cmd_print_help(stdout, c);
	return cmd_finish(ctx, EXIT_OK);
}

struct globals {
	const char *config, *url, *models, *migrations, *jobs;
	bool no_color, version, help;
};

static const char *const value_options[] = { "--config", "--url", "--models",
					      "--migrations", "--jobs" };
#define NVALUE_OPTIONS (sizeof(value_options) / sizeof(*value_options))

/* Takes the global options out of argv wherever they are (before "--"). */
static int extract_globals(int argc, char **argv, struct globals *g,
			   char **rest, const char **bad)
{
	int n = 0;
	bool done = false;
	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		if (done || strcmp(arg, "--") == 0) {
			done = true;
			rest[n++] = arg;
			continue;
		}
		const char **slot = NULL;
		for (size_t k = 0; k < NVALUE_OPTIONS; k++) {
			size_t len = strlen(value_options[k]);
			if (strncmp(arg, value_options[k], len) != 0 ||
			    (arg[len] != '\0' && arg[len] != '='))
				continue;
			const char **slots[] = { &g->config, &g->url, &g->models,
						 &g->migrations, &g->jobs };
			slot = slots[k];
			if (arg[len] == '=') {
				*slot = arg + len + 1;
			} else if (i + 1 < argc) {
				*slot = argv[++i];
			} else {
				*bad = arg;
				return -1;
			}
		}
		if (slot)
			continue;
		if (strcmp(arg, "--no-color") == 0)
			g->no_color = true;
		else if (strcmp(arg, "--version") == 0 && n == 0)
			g->version = true;
		else if ((strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) && n == 0)
			g->help = true;
		else
			rest[n++] = arg;
	}
	rest[n] = NULL;
	return n;
}

/* --jobs N: connections reading the catalog at once; by default three,
 * as many as there are queries worth running beside the others. */
static bool parse_jobs(struct cmd_ctx *ctx, const char *text)
{
	ctx->cfg.jobs = 3;
	if (!text)
		return true;
	char *end;
	long n = strtol(text, &end, 10);
	if (!*text || *end || n < 1 || n > 64) {
		diag_error(&ctx->diags, SPAN_NONE, "--jobs takes a number from 1 to 64, not '%s'",
			   text);
		return false;
	}
	ctx->cfg.jobs = (int)n;
	return true;
}

static bool want_color(bool no_color)
{
	const char *nc = getenv("NO_COLOR");
	return !no_color && !(nc && nc[0]) && isatty(STDERR_FILENO);
}

int main(int argc, char **argv)
{
	struct globals g = { 0 };
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	if (!rest)
		return EXIT_USAGE;
	const char *bad = NULL;
	int n = extract_globals(argc, argv, &g, rest, &bad);

	install_signal_handlers();
	struct cmd_ctx ctx = { 0 };
	ctx.arena = arena_new();
	diags_init(&ctx.diags, ctx.arena);
	ctx.color_err = want_color(g.no_color);
	int status;

	if (n < 0) {
		cmd_error(&ctx, "option '%s' needs a value", bad);
		status = EXIT_USAGE;
	} else if (g.version) {
		printf("c7gen %s\n", C7GEN_VERSION);
		status = cmd_finish(&ctx, EXIT_OK);
	} else if (g.help || n == 0) {
		print_global_help(g.help ? stdout : stderr);
		status = g.help ? cmd_finish(&ctx, EXIT_OK) : EXIT_USAGE;
	} else {
		const struct cmd *c = cmd_find(rest[0]);
		if (!c) {
			cmd_error(&ctx, "'%s' is not a c7gen command (see 'c7gen help')",
				  rest[0]);
			status = EXIT_USAGE;
		} else if (!config_load(&ctx, g.config, g.url, g.models, g.migrations) ||
			   !parse_jobs(&ctx, g.jobs)) {
			cmd_report(&ctx);
			status = EXIT_USAGE;
		} else {
			ctx.argc = n;
			ctx.argv = rest;
			const char *timings = getenv("C7GEN_TIMINGS");
			ctx.timings.enabled = timings && *timings;
			const char *log = getenv("C7GEN_QUERY_LOG");
			if (log && *log)
				ctx.query_log = fopen(log, "w");
			timing_mark(&ctx, "start");
			status = c->run(&ctx);
			timing_report(&ctx);
			if (ctx.query_log)
				fclose(ctx.query_log);
		}
	}
	arena_free(ctx.arena);
	free(rest);
	return status;
}
