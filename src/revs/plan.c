#include "revs/plan.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

void revs_state_init(struct arena *a, struct revs_state *st,
		     const struct revision_set *set, const char *const *applied,
		     size_t n)
{
	memset(st, 0, sizeof(*st));
	st->set = set;
	st->applied = arena_array(a, set->revs.len + 1, sizeof(bool));
	st->partial = arena_array(a, set->revs.len + 1, sizeof(*st->partial));
	/* Rows of revisions a squash replaced, per squash revision. */
	size_t *replaced = arena_array(a, set->revs.len + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		struct revision *r = revs_find(set, applied[i]);
		if (r && strcmp(r->id, applied[i]) != 0)
			replaced[r->order]++;
		else if (r)
			st->applied[r->order] = true;
		else
			vec_push(a, &st->missing, (void *)applied[i]);
	}
	/* All of them: the database is at the squash revision. */
	for (size_t k = 0; k < set->revs.len; k++) {
		struct revision *r = set->revs.items[k];
		if (replaced[k] == r->nreplaces && r->nreplaces)
			st->applied[k] = true;
		else if (replaced[k] && !st->applied[k])
			vec_push(a, &st->part_squashed, r);
	}
}

bool revs_state_set_partial(struct revs_state *st, const char *id,
			    const struct rev_progress *p)
{
	struct revision *r = revs_find(st->set, id);
	if (r)
		st->partial[r->order] = p;
	return r != NULL;
}

/* Something of it is in the database: a downgrade has work to undo. */
static bool present(const struct revs_state *st, size_t i)
{
	return st->applied[i] || st->partial[i];
}

/* Not all of it is in the database: an upgrade has work to do. */
static bool incomplete(const struct revs_state *st, size_t i)
{
	return !st->applied[i] || st->partial[i];
}

struct revision *revs_resolve(struct diags *d, const struct revision_set *set,
			      const char *spec)
{
	struct revision *exact = revs_find(set, spec);
	if (exact)
		return exact;
	size_t n = strlen(spec);
	if (n < 4) {
		diag_error(d, SPAN_NONE,
			   "revision '%s' not found (a prefix needs at least 4 characters)",
			   spec);
		return NULL;
	}
	struct revision *found = NULL;
	struct strbuf all = STRBUF_INIT;
	size_t count = 0;
	for (size_t i = 0; i < set->revs.len; i++) {
		struct revision *r = set->revs.items[i];
		if (strncmp(r->id, spec, n) != 0)
			continue;
		found = r;
		count++;
		strbuf_addf(&all, "%s%s (%s)", count > 1 ? ", " : "", r->id, r->path);
	}
	if (count == 0)
		diag_error(d, SPAN_NONE, "revision '%s' not found", spec);
	else if (count > 1)
		diag_error(d, SPAN_NONE, "revision prefix '%s' is ambiguous: %s", spec,
			   strbuf_str(&all));
	strbuf_release(&all);
	return count == 1 ? found : NULL;
}

struct rev_stack {
	struct revision **items;
	size_t len, cap;
};

static void stack_push(struct rev_stack *st, struct revision *r)
{
	if (st->len == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		st->items = xrealloc(st->items, size_mul(st->cap, sizeof(*st->items)));
	}
	st->items[st->len++] = r;
}

void revs_mark_ancestors(const struct revision_set *set,
			 struct revision *const *from, size_t n, bool *mark)
{
	struct rev_stack stack = { 0 };
	for (size_t i = 0; i < n; i++)
		stack_push(&stack, from[i]);
	while (stack.len) {
		struct revision *r = stack.items[--stack.len];
		if (mark[r->order])
			continue;
		mark[r->order] = true;
		for (size_t k = 0; k < r->nparents; k++)
			if (r->parent_revs[k] && !mark[r->parent_revs[k]->order])
				stack_push(&stack, r->parent_revs[k]);
		for (size_t k = 0; k < r->ndepends; k++) {
			struct revision *dep = revs_find(set, r->depends[k]);
			if (dep && !mark[dep->order])
				stack_push(&stack, dep);
		}
	}
	free(stack.items);
}

/* The latest revision that is an ancestor of every one given. */
static struct revision *common_ancestor(struct arena *a,
					const struct revision_set *set,
					const struct vec *revs)
{
	size_t n = set->revs.len;
	unsigned *count = arena_array(a, n + 1, sizeof(unsigned));
	bool *mark = arena_array(a, n + 1, sizeof(bool));
	for (size_t i = 0; i < revs->len; i++) {
		memset(mark, 0, (n + 1) * sizeof(bool));
		struct revision *r = revs->items[i];
		revs_mark_ancestors(set, &r, 1, mark);
		for (size_t k = 0; k < n; k++)
			count[k] += mark[k];
	}
	for (size_t k = n; k-- > 0;)
		if (count[k] == revs->len)
			return set->revs.items[k];
	return NULL;
}

struct revision *revs_single_head(struct arena *a, struct diags *d,
				  const struct revision_set *set)
{
	if (set->heads.len == 1)
		return set->heads.items[0];
	if (set->heads.len == 0)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < set->heads.len; i++) {
		struct revision *h = set->heads.items[i];
		strbuf_addf(&sb, "%s%s (%s)", i ? ", " : "", h->id, h->path);
	}
	struct diag *g = diag_error(d, SPAN_NONE, "the migrations have %zu heads: %s",
				    set->heads.len, strbuf_str(&sb));
	struct revision *base = common_ancestor(a, set, &set->heads);
	if (base)
		diag_note(d, g, SPAN_NONE, "their common ancestor is %s (%s)", base->id,
			  base->path);
	diag_hint(d, g, "join them with 'c7gen merge -m \"merge heads\"', "
			"or upgrade to 'heads'");
	strbuf_release(&sb);
	return NULL;
}

void revs_applied_heads(struct arena *a, const struct revs_state *st,
			struct vec *out)
{
	for (size_t i = 0; i < st->set->revs.len; i++) {
		struct revision *r = st->set->revs.items[i];
		if (!present(st, r->order))
			continue;
		bool child_applied = false;
		for (size_t k = 0; k < r->children.len && !child_applied; k++)
			child_applied = present(st, ((struct revision *)r->children.items[k])->order);
		if (!child_applied)
			vec_push(a, out, r);
	}
}

/* "REV+N" / "REV-N": N steps along the only child or parent. */
static struct revision *walk(struct diags *d, struct revision *r, long n)
{
	for (long i = 0; i < labs(n); i++) {
		if (n > 0) {
			if (r->children.len != 1) {
				diag_error(d, SPAN_NONE,
					   "cannot step past %s: it has %zu children",
					   r->id, r->children.len);
				return NULL;
			}
			r = r->children.items[0];
		} else {
			if (r->nparents != 1) {
				diag_error(d, SPAN_NONE,
					   "cannot step back from %s: it has %zu parents",
					   r->id, r->nparents);
				return NULL;
			}
			r = r->parent_revs[0];
		}
	}
	return r;
}

/* Parses "+N", "-N" (relative) or "REV+N"/"REV-N"; returns false if the
 * target has no such suffix. */
static bool split_relative(struct arena *a, const char *target,
			   const char **rev, long *n)
{
	const char *sign = strpbrk(target, "+-");
	if (!sign || !sign[1])
		return false;
	char *end;
	long v = strtol(sign + 1, &end, 10);
	if (*end || v <= 0)
		return false;
	*n = *sign == '-' ? -v : v;
	*rev = sign == target ? NULL : arena_strndup(a, target, (size_t)(sign - target));
	return true;
}

static void steps_in_order(struct arena *a, const struct revs_state *st,
			   const bool *want, bool up, struct vec *steps)
{
	size_t n = st->set->revs.len;
	for (size_t k = 0; k < n; k++) {
		size_t i = up ? k : n - 1 - k;
		if (!want[i])
			continue;
		struct step *s = arena_alloc(a, sizeof(*s));
		s->rev = st->set->revs.items[i];
		s->up = up;
		s->resume = st->partial[i];
		vec_push(a, steps, s);
	}
}

static bool upgrade_to(struct arena *a, const struct revs_state *st,
		       struct revision *const *targets, size_t n,
		       struct vec *steps)
{
	size_t total = st->set->revs.len;
	bool *want = arena_array(a, total + 1, sizeof(bool));
	revs_mark_ancestors(st->set, targets, n, want);
	for (size_t i = 0; i < total; i++)
		want[i] = want[i] && incomplete(st, i);
	steps_in_order(a, st, want, true, steps);
	return true;
}

bool revs_plan_upgrade(struct arena *a, struct diags *d,
		       const struct revs_state *st, const char *target,
		       struct vec *steps)
{
	const struct revision_set *set = st->set;
	const char *rev;
	long n;
	if (strcmp(target, "heads") == 0)
		return upgrade_to(a, st, (struct revision *const *)set->heads.items,
				  set->heads.len, steps);
	if (strcmp(target, "head") == 0) {
		if (!set->revs.len)
			return true;
		struct revision *h = revs_single_head(a, d, set);
		return h && upgrade_to(a, st, &h, 1, steps);
	}
	if (split_relative(a, target, &rev, &n)) {
		if (n < 0) {
			diag_error(d, SPAN_NONE, "upgrade takes '+N', not '%s'", target);
			return false;
		}
		if (!rev) {
			struct revision *h = revs_single_head(a, d, set);
			if (!h)
				return !set->revs.len;
			struct vec all = { 0 };
			upgrade_to(a, st, &h, 1, &all);
			if ((size_t)n > all.len) {
				diag_error(d, SPAN_NONE, "only %zu revision%s to apply, not %ld",
					   all.len, all.len == 1 ? "" : "s", n);
				return false;
			}
			for (long i = 0; i < n; i++)
				vec_push(a, steps, all.items[i]);
			return true;
		}
		struct revision *from = revs_resolve(d, set, rev);
		struct revision *to = from ? walk(d, from, n) : NULL;
		return to && upgrade_to(a, st, &to, 1, steps);
	}
	struct revision *to = revs_resolve(d, set, target);
	return to && upgrade_to(a, st, &to, 1, steps);
}

/* Applied revisions that are descendants of `keep` (or everything for
 * base), plus whatever depends on them. */
static bool downgrade_to(struct arena *a, struct diags *d,
			 const struct revs_state *st, struct revision *keep,
			 struct vec *steps)
{
	size_t total = st->set->revs.len;
	bool *kept = arena_array(a, total + 1, sizeof(bool));
	if (keep) {
		if (!st->applied[keep->order] || st->partial[keep->order]) {
			diag_error(d, SPAN_NONE, "revision %s is not applied", keep->id);
			return false;
		}
		revs_mark_ancestors(st->set, &keep, 1, kept);
	}
	bool *drop = arena_array(a, total + 1, sizeof(bool));
	for (size_t i = 0; i < total; i++) {
		struct revision *r = st->set->revs.items[i];
		if (!present(st, i) || kept[i])
			continue;
		/* Only what lies after `keep`, not other branches. */
		bool *anc = arena_array(a, total + 1, sizeof(bool));
		revs_mark_ancestors(st->set, &r, 1, anc);
		if (!keep || anc[keep->order])
			drop[i] = true;
	}
	/* Anything applied that builds on a dropped revision goes too. */
	for (size_t i = 0; i < total; i++) {
		if (!present(st, i) || drop[i])
			continue;
		struct revision *r = st->set->revs.items[i];
		bool *anc = arena_array(a, total + 1, sizeof(bool));
		revs_mark_ancestors(st->set, &r, 1, anc);
		for (size_t k = 0; k < total && !drop[i]; k++)
			if (drop[k] && anc[k])
				drop[i] = true;
	}
	steps_in_order(a, st, drop, false, steps);
	return true;
}

bool revs_plan_downgrade(struct arena *a, struct diags *d,
			 const struct revs_state *st, const char *target,
			 struct vec *steps)
{
	const char *rev;
	long n;
	if (strcmp(target, "base") == 0)
		return downgrade_to(a, d, st, NULL, steps);
	if (split_relative(a, target, &rev, &n)) {
		if (n > 0) {
			diag_error(d, SPAN_NONE, "downgrade takes '-N', not '%s'", target);
			return false;
		}
		if (!rev) {
			/* The last -n applied revisions, newest first. */
			size_t total = st->set->revs.len;
			bool *drop = arena_array(a, total + 1, sizeof(bool));
			long left = -n;
			for (size_t k = total; k-- > 0 && left > 0;) {
				if (present(st, k)) {
					drop[k] = true;
					left--;
				}
			}
			if (left > 0) {
				diag_error(d, SPAN_NONE, "only %ld revision%s applied, not %ld",
					   -n - left, -n - left == 1 ? "" : "s", -n);
				return false;
			}
			steps_in_order(a, st, drop, false, steps);
			return true;
		}
		struct revision *from = revs_resolve(d, st->set, rev);
		struct revision *to = from ? walk(d, from, n) : NULL;
		return to && downgrade_to(a, d, st, to, steps);
	}
	struct revision *to = revs_resolve(d, st->set, target);
	return to && downgrade_to(a, d, st, to, steps);
}
