/*
 * What the runner needs to know about a statement before sending it:
 * whether it is a CONCURRENTLY command (whose locks never queue the
 * application's reads and writes, and which leaves an INVALID index behind
 * when it fails or is killed), and for CREATE INDEX CONCURRENTLY the index
 * and table it names, so a leftover can be dropped before the build runs
 * again.  A small scanner over the text: it skips comments, literals and
 * quoted names, and answers "don't know" rather than guess.
 */
#ifndef C7_REVS_STMTINFO_H
#define C7_REVS_STMTINFO_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* True for a statement with the keyword CONCURRENTLY outside any
 * parentheses (CREATE/DROP INDEX, REINDEX, DETACH PARTITION). */
bool stmt_is_concurrent(const char *sql, size_t len);

struct index_build {
	const char *index; /* the index name as the server stores it */
	const char *table; /* the table as written, for to_regclass() */
};

/* Recognises CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] NAME ON
 * [ONLY] TABLE; false for anything else, an unnamed index included. */
bool stmt_index_build(struct arena *a, const char *sql, size_t len,
		      struct index_build *out);

#endif
