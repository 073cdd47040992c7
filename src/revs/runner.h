/*
 * Applying revisions, step by step.  A section's steps run in order: a
 * transactional step in its own transaction together with its progress
 * row, a `transaction: none` step statement by statement.  The last step
 * writes the version row and history entry and forgets the progress in
 * the same transaction, so the version table only ever names revisions
 * that are fully applied; a run that stops part way leaves a progress row
 * that the next run resumes from.  Statements are sent one at a time (as
 * psql does), which lets a server error position be mapped to
 * FILE:LINE:COL in the revision file.
 *
 * Statements run under a short lock_timeout (unless the revision or the
 * run turns it off), so DDL never waits in the lock queue in front of the
 * application for long; a step that times out is retried with backoff.
 */
#ifndef C7_REVS_RUNNER_H
#define C7_REVS_RUNNER_H

#include <stdbool.h>
#include <stdio.h>

struct arena;
struct diags;
struct pg_conn;
struct pg_error;
struct vec;
struct version_tables;

struct runner {
	struct arena *a;
	struct diags *d;
	struct pg_conn *c;
	const struct version_tables *vt;
	FILE *out; /* progress lines */
	bool single_transaction;
	bool stamp; /* record the steps without running their SQL */
	/* lock_timeout for the revisions' statements in milliseconds, 0 for
	 * none; a revision's `ddl-lock-timeout` header overrides it */
	long ddl_lock_timeout_ms;
	int ddl_retries; /* retries of a step after a lock timeout */
	/* no second session to ask what a waiting statement waits for: a
	 * fleet run promises one connection per target */
	bool one_session;
	/* the runner's own: the lock_timeout it last set (-1 unknown), and
	 * whether the last progress line still waits for its "ok" */
	long session_timeout_ms;
	bool line_open;
};

enum run_result {
	RUN_OK,
	RUN_SQL_FAILED, /* a revision's SQL failed: reported against its file */
	RUN_DB_FAILED,  /* c7gen's own statements failed: `err` is filled */
};

/* Runs the planned revisions (struct step) in order, each from where it
 * stopped before; stops at the first failure. */
enum run_result runner_run(struct runner *r, const struct vec *steps,
			   struct pg_error *err);

#endif
