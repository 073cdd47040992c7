/*
 * c7gen inspect: model files that describe an existing database, for
 * adopting c7gen (docs/adopting.md).  Never overwrites a file without
 * --force.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "cmd/revisions.h"
#include "emit/models.h"
#include "ir/ir.h"
#include "ir/sqlname.h"
#include "pg/conn.h"
#include "pg/introspect.h"

struct out_file {
	const char *path;
	struct strbuf text;
};

struct inspector {
	struct cmd_ctx *ctx;
	const char *dir;
	bool per_table;
	struct vec files; /* of struct out_file, in the order first written */
};

static struct strbuf *file_for(struct inspector *in, const char *name)
{
	const char *path = fs_join(in->ctx->arena, in->dir,
				   arena_printf(in->ctx->arena, "%s.c7", name));
	for (size_t i = 0; i < in->files.len; i++) {
		struct out_file *f = in->files.items[i];
		if (strcmp(f->path, path) == 0)
			return &f->text;
	}
	struct out_file *f = arena_alloc(in->ctx->arena, sizeof(*f));
	f->path = path;
	vec_push(in->ctx->arena, &in->files, f);
	return &f->text;
}

/* File names: schema (and table) as written, made safe for a path. */
static const char *file_part(struct arena *a, const char *name)
{
	char *out = arena_strdup(a, name);
	for (char *p = out; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20)
			*p = '_';
	return out;
}

/* A schema with nothing the models describe is declared on its own. */
static bool schema_used(const struct ir_schema *s, const char *ns)
{
	for (size_t i = 0; i < s->tables.len; i++)
		if (strcmp(((struct ir_table *)s->tables.items[i])->schema, ns) == 0)
			return true;
	for (size_t i = 0; i < s->enums.len; i++)
		if (strcmp(((struct ir_enum *)s->enums.items[i])->schema, ns) == 0)
			return true;
	for (size_t i = 0; i < s->sequences.len; i++)
		if (strcmp(((struct ir_sequence *)s->sequences.items[i])->schema, ns) == 0)
			return true;
	for (size_t i = 0; i < s->extensions.len; i++)
		if (strcmp(((struct ir_extension *)s->extensions.items[i])->schema, ns) == 0)
			return true;
	return false;
}

static void render(struct inspector *in, const struct ir_schema *s)
{
	struct arena *a = in->ctx->arena;
	for (size_t i = 0; i < s->namespaces.len; i++) {
		const char *ns = s->namespaces.items[i];
		if (strcmp(ns, SQL_DEFAULT_SCHEMA) == 0 || schema_used(s, ns))
			continue;
		struct strbuf *sb = file_for(in, in->per_table
			? arena_printf(a, "%s/schema", file_part(a, ns)) : file_part(a, ns));
		strbuf_addstr(sb, "schema ");
		models_add_name(sb, ns);
		strbuf_addch(sb, '\n');
	}
	for (size_t i = 0; i < s->extensions.len; i++) {
		const struct ir_extension *x = s->extensions.items[i];
		if (!ir_namespace_has(s, x->schema))
			continue;
		const char *name = in->per_table
			? arena_printf(a, "%s/extensions", file_part(a, x->schema))
			: file_part(a, x->schema);
		models_extension(file_for(in, name), x);
	}
	for (size_t i = 0; i < s->enums.len; i++) {
		const struct ir_enum *e = s->enums.items[i];
		const char *name = in->per_table
			? arena_printf(a, "%s/enums", file_part(a, e->schema))
			: file_part(a, e->schema);
		models_enum(file_for(in, name), e);
	}
	for (size_t i = 0; i < s->sequences.len; i++) {
		const struct ir_sequence *q = s->sequences.items[i];
		const char *name = in->per_table
			? arena_printf(a, "%s/sequences", file_part(a, q->schema))
			: file_part(a, q->schema);
		models_sequence(file_for(in, name), q);
	}
	for (size_t i = 0; i < s->tables.len; i++) {
		const struct ir_table *t = s->tables.items[i];
		const char *name = in->per_table
			? arena_printf(a, "%s/%s", file_part(a, t->schema), file_part(a, t->name))
			: file_part(a, t->schema);
		struct strbuf *sb = file_for(in, name);
		if (sb->len)
			strbuf_addch(sb, '\n');
		models_table(sb, s, t);
	}
}

static int write_files(struct inspector *in, bool force)
{
	struct arena *a = in->ctx->arena;
	for (size_t i = 0; i < in->files.len && !force; i++) {
		struct out_file *f = in->files.items[i];
		if (fs_exists(f->path)) {
			cmd_error(in->ctx, "inspect: %s exists; pass --force to replace it", f->path);
			return EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < in->files.len; i++) {
		struct out_file *f = in->files.items[i];
		const char *slash = strrchr(f->path, '/');
		if (slash) {
			int err = fs_mkdir_p(arena_strndup(a, f->path, (size_t)(slash - f->path)), 0755);
			if (err) {
				cmd_error(in->ctx, "cannot create the directory of %s: %s", f->path,
					  strerror(err));
				return EXIT_USAGE;
			}
		}
		if (force)
			unlink(f->path);
		int err = fs_write_new(f->path, strbuf_str(&f->text), f->text.len);
		if (err) {
			cmd_error(in->ctx, "cannot write %s: %s", f->path, strerror(err));
			return EXIT_USAGE;
		}
		printf("Wrote %s\n", f->path);
	}
	return EXIT_OK;
}

static void release_files(struct inspector *in)
{
	for (size_t i = 0; i < in->files.len; i++)
		strbuf_release(&((struct out_file *)in->files.items[i])->text);
}

static void say_ignored(struct cmd_ctx *ctx, struct db_session *db,
			const char *const *schemas, size_t n)
{
	struct ignored_kind kinds[IGNORED_KINDS];
	struct pg_error err;
	if (!pg_count_ignored(db->conn, schemas, n, ctx->arena, kinds, &err))
		return;
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < IGNORED_KINDS; i++)
		if (kinds[i].count)
			strbuf_addf(&sb, "%s%ld %s", sb.len ? ", " : "", kinds[i].count,
				    kinds[i].count == 1 ? kinds[i].one : kinds[i].what);
	if (sb.len)
		printf("ignored (outside the model language, never changed by c7gen): %s\n",
		       strbuf_str(&sb));
	strbuf_release(&sb);
}

int cmd_inspect(struct cmd_ctx *ctx)
{
	const char *out = NULL, *split = NULL, *schema = NULL;
	bool force = false;
	const struct opt opts[] = {
		{ "out", 'o', true, &out, NULL },
		{ "schema", 's', true, &schema, NULL },
		{ "split", 0, true, &split, NULL },
		{ "force", 'f', false, NULL, &force },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos || (split && strcmp(split, "schema") != 0 && strcmp(split, "table") != 0)) {
		cmd_error(ctx, "usage: c7gen inspect [--out DIR] [--schema NAME,...] "
			       "[--split schema|table] [--force]");
		return EXIT_USAGE;
	}
	if (!ctx->cfg.url) {
		cmd_error(ctx, "inspect reads an existing database: set --url, "
			       "C7GEN_DATABASE_URL, DATABASE_URL or url in c7gen.ini");
		return EXIT_USAGE;
	}
	struct db_session db;
	rc = db_open(ctx, &db);
	if (rc >= 0)
		return rc;
	struct vec schemas = { 0 };
	struct pg_error err;
	if (schema) {
		split_names(ctx, schema, &schemas);
	} else {
		const char **all;
		size_t n;
		if (!pg_user_schemas(db.conn, ctx->arena, &all, &n, &err)) {
			report_db_error(ctx, "cannot list schemas", &err);
			db_close(&db);
			return EXIT_DATABASE;
		}
		for (size_t i = 0; i < n; i++)
			vec_push(ctx->arena, &schemas, (void *)all[i]);
	}
	struct introspect_opts io = { 0 };
	io.schemas = (const char *const *)schemas.items;
	io.nschemas = schemas.len;
	own_tables(ctx, (const char ***)&io.exclude, &io.nexclude);
	struct ir_schema *s = pg_introspect(db.conn, ctx->arena, &io, &err);
	if (!s) {
		report_db_error(ctx, "cannot read the database schema", &err);
		db_close(&db);
		return EXIT_DATABASE;
	}
	say_ignored(ctx, &db, io.schemas, io.nschemas);
	db_close(&db);

	struct inspector in = { ctx, out ? out : ctx->cfg.models,
				split && strcmp(split, "table") == 0, { 0 } };
	render(&in, s);
	if (!in.files.len)
		printf("No tables or enums in %s.\n", schema ? schema : "the database");
	rc = write_files(&in, force);
	release_files(&in);
	return cmd_finish(ctx, rc);
}
