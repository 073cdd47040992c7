/*
 * Change list -> SQL.  One pass renders either direction of the same plan:
 * the upgrade walks the changes forward, the downgrade backward with every
 * change inverted.
 */
#ifndef C7_EMIT_EMIT_H
#define C7_EMIT_EMIT_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;
struct change_list;

enum emit_direction { EMIT_UP, EMIT_DOWN };

/* What an online plan holds, for autogenerate's one-line summary. */
struct emit_summary {
	size_t steps;      /* step markers written */
	size_t concurrent; /* CREATE INDEX CONCURRENTLY */
	size_t validates;  /* VALIDATE CONSTRAINT steps */
	size_t locks;      /* -- LOCK: comments (rewrites and the like) */
};

/* Appends the statements, each followed by a blank line, with -- WARNING:
 * comments before anything that can lose data or fail on a populated
 * table.  Returns the number of statements written. */
size_t emit_sql(struct strbuf *sb, const struct change_list *cl,
		enum emit_direction dir);

/* emit_sql, or with `online` the online plan (docs/online.md): step
 * markers, indexes built and dropped CONCURRENTLY, constraints added NOT
 * VALID and validated in steps of their own, NOT NULL over a validated
 * check, and -- LOCK: comments on what cannot be done online.  `sum` may
 * be NULL. */
size_t emit_plan(struct strbuf *sb, const struct change_list *cl,
		 enum emit_direction dir, bool online, struct emit_summary *sum);

#endif
