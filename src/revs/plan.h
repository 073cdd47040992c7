/*
 * Targets and step plans over the revision graph: which revisions an
 * upgrade or downgrade runs, in which order.  Upgrades run parents before
 * children (a merge after all its parents); downgrades the reverse.
 */
#ifndef C7_REVS_PLAN_H
#define C7_REVS_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/vec.h"
#include "revs/revs.h"

struct arena;
struct diags;

/* Where a revision applied part way stopped. */
struct rev_progress {
	bool up;                /* the direction that stopped */
	size_t steps_done;      /* of that direction's section */
	size_t statements_done; /* of the next step, run outside a transaction */
	const char *checksum;   /* of the file when it ran */
};

struct revs_state {
	const struct revision_set *set;
	bool *applied; /* indexed by revision order */
	/* indexed by revision order; NULL unless applied part way.  Such a
	 * revision is planned by upgrades (to finish it) and by downgrades
	 * (to undo the steps done). */
	const struct rev_progress **partial;
	/* applied rows naming revisions that have no file */
	struct vec missing; /* of const char * */
	/* squash revisions of which the database holds some replaced
	 * revisions but not all: it cannot be placed (of struct revision) */
	struct vec part_squashed;
};

/* A revision to run in one direction (not to be confused with the steps
 * of its sections, struct rev_step). */
struct step {
	struct revision *rev;
	bool up;
	const struct rev_progress *resume; /* where it stopped, or NULL */
};

/* Builds the state from the version table's revision ids. */
void revs_state_init(struct arena *a, struct revs_state *st,
		     const struct revision_set *set, const char *const *applied,
		     size_t n);

/* Records that revision `id` stopped part way; false if it has no file. */
bool revs_state_set_partial(struct revs_state *st, const char *id,
			    const struct rev_progress *p);

/* Resolves an id or a unique prefix of at least 4 characters. */
struct revision *revs_resolve(struct diags *d, const struct revision_set *set,
			      const char *spec);

/* The single head, or an error naming every head, their files and their
 * common ancestor. */
struct revision *revs_single_head(struct arena *a, struct diags *d,
				  const struct revision_set *set);

/* Applied revisions without applied children. */
void revs_applied_heads(struct arena *a, const struct revs_state *st,
			struct vec *out);

bool revs_plan_upgrade(struct arena *a, struct diags *d,
		       const struct revs_state *st, const char *target,
		       struct vec *steps);
bool revs_plan_downgrade(struct arena *a, struct diags *d,
			 const struct revs_state *st, const char *target,
			 struct vec *steps);

/* Marks `mark[order]` for every ancestor-or-self of the given revisions,
 * following parents and depends-on. */
void revs_mark_ancestors(const struct revision_set *set,
			 struct revision *const *from, size_t n, bool *mark);

#endif
