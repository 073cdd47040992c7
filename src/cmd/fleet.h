/*
 * Running one command over many targets (cmd/targets.h): each target in a
 * process of its own, forked from c7gen after the revisions and models are
 * loaded, at most --parallel at a time.  A process opens one session to
 * its target, so the fleet never holds more connections than --parallel;
 * its output is captured, and the parent prints one line per finished
 * target, then a table (or JSON) of where every target was and is.
 *
 * Processes rather than threads: the single-target code paths run
 * unchanged (they print, and own an arena per run), a target that crashes
 * c7gen takes no other target with it, and a killed parent takes its
 * children with it (each dies with it), leaving every target where a
 * killed single-target run would: resumable.
 */
#ifndef C7_CMD_FLEET_H
#define C7_CMD_FLEET_H

#include <stdbool.h>

#include "cmd/cmd.h"
#include "cmd/targets.h"

struct db_session;
struct db_state;
struct version_tables;

/* How a target came out; the exit status follows the worst of them. */
enum fleet_class {
	FLEET_GOOD,        /* done, or nothing to do, or at head and clean */
	FLEET_FAILED,      /* a revision failed, or findings (exit 1) */
	FLEET_UNREACHABLE, /* no connection (exit 3) */
	FLEET_SKIPPED,     /* not started: canary failed, or --fail-fast */
};

struct fleet_outcome {
	enum fleet_class cls;
	const char *result; /* "upgraded", "at head", "behind by 2", ... */
	const char *from, *to;
};

/* The flags every fleet command takes, as written. */
struct fleet_flags {
	const char *targets, *parallel, *canary, *format;
	bool fail_fast;
};

#define FLEET_OPTS(f)                                          \
	{ "targets", 0, true, &(f).targets, NULL },            \
	{ "parallel", 0, true, &(f).parallel, NULL },          \
	{ "canary", 0, true, &(f).canary, NULL },              \
	{ "fail-fast", 0, false, NULL, &(f).fail_fast },       \
	{ "format", 0, true, &(f).format, NULL }

struct fleet_job {
	const char *verb;      /* "upgrade": names the command in the report */
	const char *requested; /* the revision asked for, or NULL */
	/* Runs in the target's process with a fresh session; prints what the
	 * single-target command would.  `db` is open with the target's
	 * search_path, `vt` names its version tables. */
	void (*run)(struct cmd_ctx *ctx, struct db_session *db,
		    const struct version_tables *vt, void *arg,
		    struct fleet_outcome *out);
	void *arg;
};

/* True if any fleet flag was given; then `f` must name --targets. */
bool fleet_wanted(const struct fleet_flags *f);

/* Runs `job` on the targets --targets selects.  Returns the exit status:
 * 3 if any target was unreachable, else 1 if any failed, had findings or
 * was skipped, else 0. */
int fleet_run(struct cmd_ctx *ctx, const struct fleet_flags *f,
	      const struct fleet_job *job);

/* "d15ca557ab95", "a1+b2" for several heads, "base" for none; a revision
 * applied part way is marked with '*'. */
const char *fleet_heads(struct cmd_ctx *ctx, const struct db_state *state);

/* Where a database stands against the revision files: "at head" (and
 * *good), "behind by N" (revisions not applied), "part way" (a revision
 * stopped in the middle), "diverged" (applied revisions edited or
 * without a file). */
const char *fleet_standing(struct cmd_ctx *ctx, const struct db_state *state,
			   bool *good);

#endif
