/*
 * Revision files and the revision graph.
 *
 * A revision file is `-- key: value` header lines, then `-- +upgrade` and
 * `-- +downgrade` sections of SQL sent as written.  Loading a directory
 * parses every file and checks the graph; any problem (bad header,
 * duplicate id, missing parent, cycle, missing section) is an error with a
 * file and line, never a silent "later file wins".
 */
#ifndef C7_REVS_REVS_H
#define C7_REVS_REVS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/hmap.h"
#include "base/vec.h"

struct arena;

/*
 * A step of a section: one transaction, or (transaction: none) statements
 * each run on its own.  `-- +step` lines divide a section into steps; the
 * statements before the first marker form step 1, and a section without
 * markers is one step.  Offsets are bytes in the file, so an error in a
 * step maps to FILE:LINE:COL.
 */
struct rev_step {
	const char *sql;     /* the step's text, its marker line excluded */
	size_t offset;       /* byte offset of `sql` in the file */
	size_t line_start;   /* offset of its marker line, or of its first text */
	bool no_transaction;
};

struct section {
	const char *sql;  /* the text between the markers */
	size_t offset;    /* byte offset of `sql` in the file */
	bool present;
	struct rev_step *steps; /* at least one */
	size_t nsteps;
	bool marked;      /* divided by `-- +step` lines */
};

struct revision {
	const char *id;
	const char **parents;
	size_t nparents;
	const char **depends; /* depends-on: must be applied first */
	size_t ndepends;
	/* replaces: a squash revision stands for these (docs/revisions.md) */
	const char **replaces;
	size_t nreplaces;
	const char *message;
	const char *created;
	bool no_transaction;  /* transaction: none */
	/* ddl-lock-timeout: the revision's own lock_timeout for its
	 * statements (0: off), instead of the run's */
	bool has_ddl_lock_timeout;
	long ddl_lock_timeout_ms;
	const char *path;
	struct srcfile *file;
	char checksum[65];    /* SHA-256 of the file's bytes, hex */
	struct section up, down;
	struct span parents_span;
	struct revision **parent_revs; /* resolved `parents` */
	struct vec children;  /* of struct revision */
	size_t order;         /* position in a topological order (parents first) */
};

struct revision_set {
	struct vec revs;  /* of struct revision, topological order */
	struct hmap by_id;
	struct vec heads; /* revisions without children, by order */
	struct vec bases; /* revisions without parents */
	/* Squash revisions whose replaced files are all still there: not in
	 * the graph (the replaced chain is), but check proves them. */
	struct vec dormant;
};

/* Loads every *.sql directly in `dir` (a missing directory is an empty
 * history).  Returns false with diagnostics if anything is wrong. */
bool revs_load(struct arena *a, struct diags *d, const char *dir,
	       struct revision_set *set);

/* Parses one revision file's text (exposed for tests and fuzzing). */
struct revision *revs_parse(struct arena *a, struct diags *d,
			    struct srcfile *file);

struct revision *revs_find(const struct revision_set *set, const char *id);

/* True if `anc` is `rev` or one of its ancestors. */
bool revs_is_ancestor(const struct revision *anc, const struct revision *rev);

/* A new revision to write. */
struct revision_spec {
	const char *message;
	const char *const *parents;
	size_t nparents;
	const char *upgrade;   /* SQL, may be empty */
	const char *downgrade;
	bool no_transaction;
	const char *const *replaces; /* a squash revision's */
	size_t nreplaces;
};

/* A new revision file composed but not yet written. */
struct revision_draft {
	const char *id;
	const char *path; /* dir/<id>_<slug>.sql */
	const char *text;
	size_t len;
};

/* Composes migrations/<id>_<slug>.sql with a fresh id.  Returns 0 or an
 * errno value (no secure random source). */
int revs_draft(struct arena *a, const char *dir, const struct revision_spec *spec,
	       struct revision_draft *out);

/* Writes a draft atomically, never replacing a file.  Returns 0 or an
 * errno value. */
int revs_write(const struct revision_draft *d);

/* A duration in PostgreSQL's units ("200ms", "2s", "1min"; a bare number
 * is milliseconds, as for lock_timeout) or "off"/"0", as milliseconds
 * (0: off).  False if the text is not one. */
bool revs_parse_duration(const char *text, long *ms);

/* The message as a file-name slug: lower case, runs of anything but a-z
 * and 0-9 folded to one '_', at most 40 bytes. */
const char *revs_slug(struct arena *a, const char *message);

#endif
