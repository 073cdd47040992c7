/*
 * Applying revisions.  Each revision runs in its own transaction together
 * with its version-table row and history entry, so a failure leaves both
 * the schema and the version table as they were.  Statements are sent one
 * at a time (as psql does), which lets a server error position be mapped
 * to FILE:LINE:COL in the revision file.
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
};

enum run_result {
	RUN_OK,
	RUN_SQL_FAILED, /* a revision's SQL failed: reported against its file */
	RUN_DB_FAILED,  /* c7gen's own statements failed: `err` is filled */
};

/* Runs the steps (struct step) in order; stops at the first failure. */
enum run_result runner_run(struct runner *r, const struct vec *steps,
			   struct pg_error *err);

#endif
