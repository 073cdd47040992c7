/*
 * What the runner needs to know about a statement before sending it:
 * whether it is a CONCURRENTLY command (whose locks never queue the
 * application's reads and writes, and which leaves an INVALID index behind
 * when it fails or is killed), and for CREATE INDEX CONCURRENTLY the index
 * and table it names, so a leftover can be dropped before the build runs
 * again.  Read from PostgreSQL's parse tree (src/sql/): a statement the
 * parser does not accept is "don't know".
 */
#ifndef C7_REVS_STMTINFO_H
#define C7_REVS_STMTINFO_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct PgQuery__Node;

/* True for a CONCURRENTLY command: CREATE/DROP INDEX, REINDEX, DETACH
 * PARTITION. */
bool stmt_is_concurrent(struct arena *a, const char *sql, size_t len);
/* The same for a statement already parsed (src/lint/). */
bool stmt_node_is_concurrent(const struct PgQuery__Node *n);

struct index_build {
	const char *index; /* the index name as the server stores it */
	const char *table; /* the table, quoted as needed, for to_regclass() */
};

/* Recognises CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] NAME ON
 * [ONLY] TABLE; false for anything else, an unnamed index included. */
bool stmt_index_build(struct arena *a, const char *sql, size_t len,
		      struct index_build *out);

#endif
