/* Loading a migrations directory into a checked revision graph. */
#include <string.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "revs/revs.h"

static bool name_matches_id(const char *path, const char *id)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(id);
	return strncmp(base, id, n) == 0 && (base[n] == '_' || base[n] == '.');
}

static bool load_files(struct arena *a, struct diags *d, const char *dir,
		       struct revision_set *set, struct vec *all)
{
	struct vec files = { 0 };
	if (!fs_is_dir(dir))
		return true; /* no migrations yet */
	int err = fs_list(a, dir, ".sql", &files);
	if (err) {
		diag_error(d, SPAN_NONE, "cannot read '%s': %s", dir, strerror(err));
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < files.len; i++) {
		const char *path = files.items[i];
		char *text;
		size_t len;
		err = fs_read(a, path, &text, &len);
		if (err) {
			diag_error(d, SPAN_NONE, "cannot read '%s': %s", path, strerror(err));
			ok = false;
			continue;
		}
		struct srcfile *f = srcfile_new(a, path, text, len);
		struct revision *r = revs_parse(a, d, f);
		if (!r) {
			ok = false;
			continue;
		}
		if (!name_matches_id(path, r->id)) {
			struct span sp = { f, 0, 0 };
			diag_error(d, sp, "file name does not start with its revision id '%s'",
				   r->id);
			ok = false;
		}
		struct revision *prev = hmap_put_new(&set->by_id, r->id, r);
		if (prev) {
			struct span sp = { f, 0, 0 };
			struct diag *g = diag_error(d, sp, "duplicate revision id '%s'", r->id);
			struct span psp = { prev->file, 0, 0 };
			diag_note(d, g, psp, "also used here");
			ok = false;
			continue;
		}
		vec_push(a, all, r);
	}
	return ok;
}

/* A squash revision is dormant while every file it replaces is there (the
 * replaced chain is the graph; check proves the two equal), and stands
 * for the replaced ids once they are all deleted: parents naming them and
 * version rows holding them mean the squash.  Half-deleted is an error. */
static bool settle_squashes(struct arena *a, struct diags *d, struct revision_set *set,
			    struct vec *all)
{
	bool ok = true;
	size_t kept = 0;
	for (size_t i = 0; i < all->len; i++) {
		struct revision *r = all->items[i];
		size_t present = 0;
		for (size_t k = 0; k < r->nreplaces; k++)
			present += revs_find(set, r->replaces[k]) != NULL;
		if (r->nreplaces && present == r->nreplaces) {
			hmap_put(&set->by_id, r->id, NULL);
			vec_push(a, &set->dormant, r);
			continue;
		}
		all->items[kept++] = r;
		if (present) {
			struct span sp = { r->file, 0, 0 };
			diag_error(d, sp, "squash revision %s replaces %zu revisions, and %zu of "
				   "their files are still there: delete all of them, or none",
				   r->id, r->nreplaces, present);
			ok = false;
		}
	}
	all->len = kept;
	for (size_t i = 0; i < all->len; i++) {
		struct revision *r = all->items[i];
		for (size_t k = 0; k < r->nreplaces; k++)
			hmap_put_new(&set->by_id, r->replaces[k], r);
	}
	return ok;
}

static bool resolve(struct arena *a, struct diags *d, struct revision_set *set,
		    struct vec *all)
{
	bool ok = true;
	for (size_t i = 0; i < all->len; i++) {
		struct revision *r = all->items[i];
		r->parent_revs = arena_array(a, r->nparents + 1, sizeof(*r->parent_revs));
		for (size_t k = 0; k < r->nparents; k++) {
			struct revision *p = revs_find(set, r->parents[k]);
			if (!p) {
				diag_error(d, r->parents_span, "parent revision '%s' does not exist",
					   r->parents[k]);
				ok = false;
				continue;
			}
			r->parent_revs[k] = p;
			vec_push(a, &p->children, r);
		}
		for (size_t k = 0; k < r->ndepends; k++) {
			if (!revs_find(set, r->depends[k])) {
				struct span sp = { r->file, 0, 0 };
				diag_error(d, sp, "depends-on revision '%s' does not exist",
					   r->depends[k]);
				ok = false;
			}
		}
	}
	return ok;
}

/* Among revisions whose parents are all placed, the oldest goes first. */
static int by_created(const void *x, const void *y)
{
	const struct revision *a = x, *b = y;
	const char *ca = a->created ? a->created : "", *cb = b->created ? b->created : "";
	int c = strcmp(ca, cb);
	return c ? c : strcmp(a->id, b->id);
}

static bool order(struct arena *a, struct diags *d, struct revision_set *set,
		  struct vec *all)
{
	size_t n = all->len;
	size_t *waiting = arena_array(a, n ? n : 1, sizeof(size_t));
	struct hmap index;
	hmap_init(&index, a);
	vec_sort(a, all, by_created);
	for (size_t i = 0; i < n; i++) {
		struct revision *r = all->items[i];
		waiting[i] = r->nparents;
		r->order = i;
	}
	bool *placed = arena_array(a, n ? n : 1, sizeof(bool));
	for (size_t done = 0; done < n;) {
		size_t pick = n;
		for (size_t i = 0; i < n && pick == n; i++)
			if (!placed[i] && waiting[i] == 0)
				pick = i;
		if (pick == n) {
			struct strbuf sb = STRBUF_INIT;
			for (size_t i = 0; i < n; i++) {
				if (placed[i])
					continue;
				struct revision *r = all->items[i];
				strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", r->id);
			}
			diag_error(d, SPAN_NONE, "the revision graph has a cycle among %s",
				   strbuf_str(&sb));
			strbuf_release(&sb);
			return false;
		}
		placed[pick] = true;
		struct revision *r = all->items[pick];
		vec_push(a, &set->revs, r);
		done++;
		for (size_t k = 0; k < r->children.len; k++) {
			struct revision *c = r->children.items[k];
			for (size_t j = 0; j < c->nparents; j++)
				if (c->parent_revs[j] == r)
					waiting[c->order]--;
		}
	}
	for (size_t i = 0; i < set->revs.len; i++)
		((struct revision *)set->revs.items[i])->order = i;
	return true;
}

bool revs_load(struct arena *a, struct diags *d, const char *dir,
	       struct revision_set *set)
{
	memset(set, 0, sizeof(*set));
	hmap_init(&set->by_id, a);
	struct vec all = { 0 };
	if (!load_files(a, d, dir, set, &all) || !settle_squashes(a, d, set, &all) ||
	    !resolve(a, d, set, &all) ||
	    !order(a, d, set, &all))
		return false;
	for (size_t i = 0; i < set->revs.len; i++) {
		struct revision *r = set->revs.items[i];
		if (!r->children.len)
			vec_push(a, &set->heads, r);
		if (!r->nparents)
			vec_push(a, &set->bases, r);
	}
	return true;
}

struct revision *revs_find(const struct revision_set *set, const char *id)
{
	return hmap_get(&set->by_id, id);
}

bool revs_is_ancestor(const struct revision *anc, const struct revision *rev)
{
	if (anc == rev)
		return true;
	/* Parents always come earlier in the order, which prunes the walk. */
	if (anc->order > rev->order)
		return false;
	for (size_t i = 0; i < rev->nparents; i++)
		if (rev->parent_revs[i] && revs_is_ancestor(anc, rev->parent_revs[i]))
			return true;
	return false;
}
