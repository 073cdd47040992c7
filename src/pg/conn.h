/*
 * The only doorway to libpq.  Every statement goes through pg_query() or
 * pg_exec(), which check the result status and capture SQLSTATE, message,
 * detail, hint and error position for the caller to report.  Nothing here
 * prints.
 */
#ifndef C7_PG_CONN_H
#define C7_PG_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct arena;
struct pg_conn;
struct pg_result;

struct pg_error {
	char sqlstate[6];
	const char *message; /* primary message; never contains a password */
	const char *detail, *hint, *context;
	int position;        /* 1-based character position in the query, or 0 */
};

/* Connects with a libpq connection string or URI (NULL or "" for libpq's
 * defaults and PG* variables).  Strings live in `a`.  On failure returns
 * NULL and fills `err` with one line naming host, port and database. */
struct pg_conn *pg_connect(struct arena *a, const char *conninfo,
			   struct pg_error *err);
void pg_close(struct pg_conn *c);

/* Appends every statement sent to `log` (parameters written in as
 * literals), so a benchmark can replay the same queries with psql.  NULL
 * stops logging. */
void pg_set_query_log(struct pg_conn *c, FILE *log);
FILE *pg_query_log(const struct pg_conn *c);

/* "host=... port=... dbname=... user=..." — never the password. */
const char *pg_describe(const struct pg_conn *c);
/* server_version_num, e.g. 150004. */
int pg_server_version(const struct pg_conn *c);
/* Statements sent so far: the round trips a command cost. */
size_t pg_round_trips(const struct pg_conn *c);

/* Runs one or more statements with no result rows wanted. */
bool pg_exec(struct pg_conn *c, const char *sql, struct pg_error *err);
/* Runs statements like pg_exec.  While they run longer than `probe_ms`,
 * `probe` is called every `probe_ms` with a second session to the same
 * server (opened on first need, closed with `c`) and the server process id
 * of `c`, to ask what the statement is waiting for. */
bool pg_exec_probed(struct pg_conn *c, const char *sql, long probe_ms,
		    void (*probe)(struct pg_conn *observer, int pid, void *arg),
		    void *arg, struct pg_error *err);
/* Runs a query with text parameters; NULL on error (err filled). */
struct pg_result *pg_query(struct pg_conn *c, const char *sql, int nparams,
			   const char *const *params, struct pg_error *err);
/* A second connection to the same server and database as `c`, with the
 * parameters libpq resolved for it. */
struct pg_conn *pg_connect_like(struct pg_conn *c, struct pg_error *err);
/* Sends a query without waiting (libpq's asynchronous API); its result is
 * then taken with pg_receive(), before anything else is sent on `c`. */
bool pg_send(struct pg_conn *c, const char *sql, int nparams, const char *const *params,
	     struct pg_error *err);
struct pg_result *pg_receive(struct pg_conn *c, struct pg_error *err);
/* Runs a query and hands each row to `row` as a one-row result (row 0)
 * as it arrives, in libpq's single-row mode, so a result of many rows is
 * never held whole.  False on error (err filled). */
bool pg_query_rows(struct pg_conn *c, const char *sql, int nparams,
		   const char *const *params,
		   void (*row)(void *arg, const struct pg_result *r), void *arg,
		   struct pg_error *err);
int pg_nrows(const struct pg_result *r);
/* Column number by name; aborts on a name the query does not return,
 * which is a bug in the query, not an input error. */
int pg_col(const struct pg_result *r, const char *name);
/* Column number by name, or -1 for a column the result lacks (a query
 * the user wrote). */
int pg_col_find(const struct pg_result *r, const char *name);
/* The value as text, NULL for SQL NULL. */
const char *pg_value(const struct pg_result *r, int row, int col);
bool pg_bool(const struct pg_result *r, int row, int col);
void pg_result_free(struct pg_result *r);

/* True inside an open (or failed) transaction block. */
bool pg_in_transaction(const struct pg_conn *c);

/* True if the server connection is still usable. */
bool pg_ok(const struct pg_conn *c);
/* Sends a cancel request for the statement running on `c` (async-signal
 * safe use is not supported; call from the main thread). */
void pg_cancel(struct pg_conn *c);

/* Text of a PostgreSQL array literal ({a,"b c"}) split into `a`-owned
 * strings; returns the count, or -1 if the text is not a 1-D array. */
int pg_parse_array(struct arena *a, const char *text, const char ***out);
/* Builds a text[] literal for a parameter. */
const char *pg_array_literal(struct arena *a, const char *const *items,
			     size_t n);

#endif
