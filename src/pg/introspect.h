/*
 * The introspector: a live database -> the schema IR, in a fixed number of
 * bulk catalog queries (one per object kind) however many tables there
 * are.  Reads pg_catalog directly (information_schema is two to three
 * times slower for the same facts and hides index and expression details),
 * with an empty search_path so the server prints every name that is not in
 * pg_catalog qualified, and in one read-only REPEATABLE READ snapshot.
 */
#ifndef C7_PG_INTROSPECT_H
#define C7_PG_INTROSPECT_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct pg_conn;
struct pg_error;
struct ir_schema;

struct introspect_opts {
	const char *const *schemas; /* the managed schemas */
	size_t nschemas;
	/* c7gen's own tables, never part of the schema: "schema.name" */
	const char *const *exclude;
	size_t nexclude;
	/* When set, only these tables ("schema.name") are read; schemas,
	 * enums, sequences and extensions are read whole. */
	const char *const *only;
	size_t nonly;
	/* Run inside the caller's transaction instead of opening a snapshot. */
	bool in_transaction;
	/* Connections reading the catalog at once (0 or 1: one); the
	 * constraints and indexes queries run on their own connections in
	 * the main one's exported snapshot, so up to 3 are used. */
	int jobs;
};

/* Reads the managed schemas into a sorted IR; NULL on a database error. */
struct ir_schema *pg_introspect(struct pg_conn *c, struct arena *a,
				const struct introspect_opts *opts,
				struct pg_error *err);

/* Objects of kinds c7gen does not manage, counted per kind in the given
 * schemas, for `inspect` to say what it left out. */
struct ignored_kind {
	const char *what; /* "views", "functions", ... */
	const char *one;  /* "view", "function", ... */
	long count;
};
#define IGNORED_KINDS 12
bool pg_count_ignored(struct pg_conn *c, const char *const *schemas, size_t n,
		      struct arena *a, struct ignored_kind out[IGNORED_KINDS],
		      struct pg_error *err);

/* Every schema in the database that is not the system's own. */
bool pg_user_schemas(struct pg_conn *c, struct arena *a, const char ***out,
		     size_t *n, struct pg_error *err);

#endif
