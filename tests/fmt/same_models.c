/*
 * same_models ROOT...: the proof that `c7gen fmt` never changes meaning.
 *
 * Every directory under a ROOT that holds *.c7 files is a project (with
 * its subdirectories, as a models directory is).  For each project: every
 * file that parses is formatted (fmt_text, in memory), and the project
 * built from the formatted files must give exactly the IR of the original
 * (ir_schema_dump and the rest of fmt_fingerprint) and the same semantic
 * errors; formatting again must change nothing; files with syntax errors
 * must be refused.  Prints one line per difference and a summary; exits 1
 * on any difference.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "cmd/fmt.h"
#include "lang/lang.h"
#include "lang/parse.h"

struct totals {
	size_t projects, files, formatted, problems;
};

/* The IR of the files (texts[i] for paths[i]) and their errors, without
 * positions; NULL texts are left out. */
static void meaning(struct arena *a, const struct vec *paths, char **texts,
		    size_t *lens, struct strbuf *out)
{
	struct diags d;
	diags_init(&d, a);
	d.limit = (size_t)-1;
	struct ast_model m = { 0 };
	for (size_t i = 0; i < paths->len; i++)
		if (texts[i])
			parse_model_file(a, a, &d, srcfile_new(a, paths->items[i], texts[i],
							       lens[i]), &m);
	fmt_fingerprint(out, lang_analyze_partial(a, &d, &m));
	for (size_t i = 0; i < d.list.len; i++) {
		const struct diag *g = d.list.items[i];
		strbuf_addf(out, "%d %s\n", (int)g->severity, g->msg);
	}
}

static void first_difference(const char *x, const char *y)
{
	while (*x && *y) {
		size_t lx = strcspn(x, "\n"), ly = strcspn(y, "\n");
		if (lx != ly || memcmp(x, y, lx) != 0) {
			printf("  before: %.*s\n  after:  %.*s\n", (int)lx, x, (int)ly, y);
			return;
		}
		x += lx + (x[lx] == '\n');
		y += ly + (y[ly] == '\n');
	}
	printf("  before: %.60s\n  after:  %.60s\n", x, y);
}

/* Formats one file; false if it had to be refused. */
static bool format_one(struct arena *a, const char *path, const char *text,
		       size_t len, struct strbuf *out, struct totals *t)
{
	struct diags d;
	diags_init(&d, a);
	struct srcfile *f = srcfile_new(a, path, text, len);
	struct ast_model m = { 0 };
	bool parses = parse_model_file(a, a, &d, f, &m);
	diags_init(&d, a);
	bool ok = fmt_text(&d, f, out);
	if (ok != parses) {
		printf("%s: %s\n", path, parses ? "parses, but fmt refused it" :
		       "has syntax errors, but fmt formatted it");
		diags_render(&d, stdout, false);
		t->problems++;
	}
	if (!ok)
		return false;
	struct strbuf again = STRBUF_INIT;
	diags_init(&d, a);
	struct srcfile *g = srcfile_new(a, path, strbuf_str(out), out->len);
	if (!fmt_text(&d, g, &again) || again.len != out->len ||
	    memcmp(strbuf_str(&again), strbuf_str(out), out->len) != 0) {
		printf("%s: formatting twice gives another text\n", path);
		t->problems++;
	}
	strbuf_release(&again);
	return true;
}

static void check_project(const char *dir, struct totals *t)
{
	struct arena *a = arena_new();
	struct vec paths = { 0 };
	if (fs_list(a, dir, ".c7", &paths) != 0) {
		printf("%s: cannot list\n", dir);
		t->problems++;
		arena_free(a);
		return;
	}
	size_t n = paths.len;
	char **before = arena_array(a, n, sizeof(char *));
	char **after = arena_array(a, n, sizeof(char *));
	size_t *blen = arena_array(a, n, sizeof(size_t));
	size_t *alen = arena_array(a, n, sizeof(size_t));
	bool all = true;
	for (size_t i = 0; i < n; i++) {
		if (fs_read(a, paths.items[i], &before[i], &blen[i]) != 0) {
			printf("%s: cannot read\n", (char *)paths.items[i]);
			t->problems++;
			continue;
		}
		struct strbuf out = STRBUF_INIT;
		if (format_one(a, paths.items[i], before[i], blen[i], &out, t)) {
			alen[i] = out.len;
			after[i] = strbuf_to_arena(&out, a);
			t->formatted++;
		} else {
			all = false;
		}
		strbuf_release(&out);
	}
	t->files += n;
	t->projects++;
	/* With syntax errors there are no models to compare, as for every
	 * command. */
	if (all) {
		struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
		meaning(a, &paths, before, blen, &x);
		meaning(a, &paths, after, alen, &y);
		if (strcmp(strbuf_str(&x), strbuf_str(&y)) != 0) {
			printf("%s: the formatted models differ\n", dir);
			first_difference(strbuf_str(&x), strbuf_str(&y));
			t->problems++;
		}
		strbuf_release(&x);
		strbuf_release(&y);
	}
	arena_free(a);
}

static bool has_c7(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		found = e->d_name[0] != '.' && len > 3 && strcmp(e->d_name + len - 3, ".c7") == 0;
	}
	closedir(d);
	return found;
}

static void walk(const char *dir, struct totals *t)
{
	if (has_c7(dir)) {
		check_project(dir, t);
		return;
	}
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *child = NULL;
		struct stat st;
		if (name[0] != '.' && asprintf(&child, "%s/%s", dir, name) >= 0 &&
		    stat(child, &st) == 0 && S_ISDIR(st.st_mode))
			walk(child, t);
		free(child);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	for (int i = 1; i < argc; i++)
		walk(argv[i], &t);
	printf("%zu projects, %zu model files (%zu formatted): %zu problems\n",
	       t.projects, t.files, t.formatted, t.problems);
	return t.problems || !t.files ? 1 : 0;
}
