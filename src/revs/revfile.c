/* Reading and writing revision files. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/random.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "revs/revs.h"
#include "sql/sql.h"

struct line {
	const char *text;
	size_t len;
	size_t offset;
};

static bool next_line(const struct srcfile *f, size_t *pos, struct line *l)
{
	if (*pos >= f->len)
		return false;
	l->offset = *pos;
	l->text = f->text + *pos;
	const char *nl = memchr(l->text, '\n', f->len - *pos);
	l->len = nl ? (size_t)(nl - l->text) : f->len - *pos;
	*pos += l->len + (nl ? 1 : 0);
	if (l->len && l->text[l->len - 1] == '\r')
		l->len--;
	return true;
}

static struct span line_span(struct srcfile *f, const struct line *l)
{
	struct span sp = { f, l->offset, l->offset + l->len };
	return sp;
}

static size_t trimmed_len(const struct line *l)
{
	size_t len = l->len;
	while (len && (l->text[len - 1] == ' ' || l->text[len - 1] == '\t'))
		len--;
	return len;
}

static bool is_marker(const struct line *l, const char *marker)
{
	size_t n = strlen(marker);
	return trimmed_len(l) == n && memcmp(l->text, marker, n) == 0;
}

#define STEP_MARKER "-- +step"
#define STEP_MARKER_NONE "-- +step transaction: none"

/* A `-- +step` line of a section, as found while reading the file. */
struct marker {
	size_t line;  /* offset of the marker line */
	size_t next;  /* offset just past it */
	bool no_transaction;
};

static bool starts_step_marker(const struct line *l)
{
	size_t n = strlen(STEP_MARKER);
	return l->len >= n && memcmp(l->text, STEP_MARKER, n) == 0;
}

static bool valid_id(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      (*s >= 'A' && *s <= 'Z') || *s == '_'))
			return false;
	return true;
}

/* Space-separated ids. */
static const char **split_ids(struct arena *a, const char *v, size_t *n)
{
	size_t cap = strlen(v) / 2 + 1;
	const char **out = arena_array(a, cap, sizeof(char *));
	*n = 0;
	while (*v) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		size_t len = strcspn(v, " \t,");
		if (len)
			out[(*n)++] = arena_strndup(a, v, len);
		v += len;
	}
	return out;
}

static bool parse_header_line(struct arena *a, struct diags *d,
			      struct revision *r, struct srcfile *f,
			      const struct line *l)
{
	const char *colon = memchr(l->text, ':', l->len);
	const char *k = l->text + 2;
	while (colon && k < colon && (*k == ' ' || *k == '\t'))
		k++;
	if (l->len < 4 || !colon || k == colon) {
		diag_error(d, line_span(f, l), "header lines look like '-- key: value'");
		return false;
	}
	const char *key = arena_strndup(a, k, (size_t)(colon - k));
	const char *v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	const char *val = arena_strndup(a, v, (size_t)(l->text + l->len - v));
	size_t vl = strlen(val);
	while (vl && (val[vl - 1] == ' ' || val[vl - 1] == '\t'))
		((char *)val)[--vl] = '\0';
	if (strcmp(key, "revision") == 0) {
		if (!valid_id(val)) {
			diag_error(d, line_span(f, l), "invalid revision id '%s'", val);
			return false;
		}
		r->id = val;
	} else if (strcmp(key, "parents") == 0) {
		r->parents = split_ids(a, val, &r->nparents);
		r->parents_span = line_span(f, l);
	} else if (strcmp(key, "depends-on") == 0) {
		r->depends = split_ids(a, val, &r->ndepends);
	} else if (strcmp(key, "replaces") == 0) {
		r->replaces = split_ids(a, val, &r->nreplaces);
		for (size_t i = 0; i < r->nreplaces; i++) {
			if (!valid_id(r->replaces[i])) {
				diag_error(d, line_span(f, l), "invalid revision id '%s'",
					   r->replaces[i]);
				return false;
			}
		}
	} else if (strcmp(key, "message") == 0) {
		r->message = val;
	} else if (strcmp(key, "created") == 0) {
		r->created = val;
	} else if (strcmp(key, "transaction") == 0) {
		if (strcmp(val, "none") != 0) {
			diag_error(d, line_span(f, l),
				   "'transaction' may only be 'none' (the default runs each revision in a transaction)");
			return false;
		}
		r->no_transaction = true;
	} else if (strcmp(key, "ddl-lock-timeout") == 0) {
		if (!revs_parse_duration(val, &r->ddl_lock_timeout_ms)) {
			diag_error(d, line_span(f, l),
				   "'ddl-lock-timeout' takes 'off' or a duration such as 200ms, 2s or 1min, not '%s'",
				   val);
			return false;
		}
		r->has_ddl_lock_timeout = true;
	} else if (strcmp(key, "c7gen-lint") == 0) {
		/* A file-wide lint ignore: c7gen lint reads it (docs/lint.md). */
	} else {
		diag_error(d, line_span(f, l),
			   "unknown header '%s' (known: revision, parents, message, "
			   "created, transaction, depends-on, ddl-lock-timeout, c7gen-lint, "
			   "replaces)", key);
		return false;
	}
	return true;
}

static bool bytes_ok(struct diags *d, struct srcfile *f)
{
	for (size_t i = 0; i < f->len; i++) {
		if (f->text[i] == '\0') {
			struct span sp = { f, i, i + 1 };
			diag_error(d, sp, "revision file contains a NUL byte");
			return false;
		}
	}
	/* Invalid UTF-8 would reach the server as garbage. */
	const unsigned char *s = (const unsigned char *)f->text;
	for (size_t i = 0; i < f->len;) {
		size_t n = s[i] < 0x80 ? 0 : (s[i] & 0xE0) == 0xC0 ? 1
			   : (s[i] & 0xF0) == 0xE0 ? 2 : (s[i] & 0xF8) == 0xF0 ? 3 : 9;
		bool bad = n == 9 || (n == 1 && s[i] < 0xC2);
		for (size_t k = 1; !bad && k <= n; k++)
			bad = i + k >= f->len || (s[i + k] & 0xC0) != 0x80;
		if (bad) {
			struct span sp = { f, i, i + 1 };
			diag_error(d, sp, "revision file is not valid UTF-8");
			return false;
		}
		i += n + 1;
	}
	return true;
}

static void close_section(struct section *cur, struct srcfile *f, size_t end)
{
	if (cur)
		cur->sql = arena_strndup(f->arena, f->text + cur->offset,
					 end - cur->offset);
}

/* Reads a `-- +step...` line into the section's markers. */
static void add_marker(struct arena *a, struct diags *d, struct srcfile *f,
		       const struct line *l, size_t next, struct vec *markers)
{
	bool none = is_marker(l, STEP_MARKER_NONE);
	if (!none && !is_marker(l, STEP_MARKER)) {
		diag_error(d, line_span(f, l),
			   "unknown step marker (a step starts with a line '%s' or '%s')",
			   STEP_MARKER, STEP_MARKER_NONE);
		return;
	}
	struct marker *m = arena_alloc(a, sizeof(*m));
	m->line = l->offset;
	m->next = next;
	m->no_transaction = none;
	vec_push(a, markers, m);
}

/* Text the parser rejects counts as a statement: it becomes a step, and
 * the step's check reports the error. */
static bool has_statements(struct arena *a, const char *text, size_t len)
{
	struct vec stmts = { 0 };
	struct sql_error err;
	return !sql_split(a, text, len, &stmts, &err) || stmts.len > 0;
}

/* Every statement must pass PostgreSQL's parser before anything is sent:
 * a typo in the last statement must not fail a migration half way. */
static void check_steps(struct arena *a, struct diags *d, struct srcfile *f,
			const struct section *sec)
{
	for (size_t i = 0; i < sec->nsteps; i++) {
		const struct rev_step *st = &sec->steps[i];
		struct vec stmts = { 0 };
		struct sql_error err;
		if (sql_split(a, st->sql, strlen(st->sql), &stmts, &err))
			continue;
		size_t at = st->offset + err.offset;
		struct span sp = { f, (uint32_t)at, (uint32_t)(at < f->len ? at + 1 : at) };
		struct diag *g = diag_error(d, sp, "%s", err.message);
		if (err.hint)
			diag_hint(d, g, "%s", err.hint);
	}
}

static void set_step(struct srcfile *f, struct rev_step *st, size_t line_start,
		     size_t start, size_t end, bool no_transaction)
{
	st->sql = arena_strndup(f->arena, f->text + start, end - start);
	st->offset = start;
	st->line_start = line_start;
	st->no_transaction = no_transaction;
}

/* Divides a section at its markers.  Text before the first marker is a
 * step only if it holds a statement: a comment there is not a step. */
static void split_steps(struct arena *a, struct diags *d, struct revision *r,
			struct section *sec, const struct vec *markers)
{
	struct srcfile *f = r->file;
	size_t end = sec->offset + strlen(sec->sql);
	if (!markers->len) {
		sec->steps = arena_alloc(a, sizeof(*sec->steps));
		sec->nsteps = 1;
		set_step(f, &sec->steps[0], sec->offset, sec->offset, end, r->no_transaction);
		return;
	}
	const struct marker *first = markers->items[0];
	if (r->no_transaction) {
		struct span sp = { f, first->line, first->line + strlen(STEP_MARKER) };
		struct diag *g = diag_error(d, sp, "'-- transaction: none' and '%s' markers "
					    "in one revision", STEP_MARKER);
		diag_hint(d, g, "drop the header and mark each step that runs outside a "
				"transaction '%s'", STEP_MARKER_NONE);
		return;
	}
	bool lead = has_statements(a, f->text + sec->offset, first->line - sec->offset);
	sec->marked = true;
	sec->nsteps = markers->len + (lead ? 1 : 0);
	sec->steps = arena_array(a, sec->nsteps, sizeof(*sec->steps));
	struct rev_step *st = sec->steps;
	if (lead)
		set_step(f, st++, sec->offset, sec->offset, first->line, false);
	for (size_t i = 0; i < markers->len; i++) {
		const struct marker *m = markers->items[i];
		size_t stop = i + 1 < markers->len
			? ((const struct marker *)markers->items[i + 1])->line : end;
		set_step(f, st++, m->line, m->next, stop, m->no_transaction);
	}
}

struct revision *revs_parse(struct arena *a, struct diags *d,
			    struct srcfile *f)
{
	size_t errors = d->errors;
	if (!bytes_ok(d, f))
		return NULL;
	struct revision *r = arena_alloc(a, sizeof(*r));
	r->file = f;
	r->path = f->path;
	sha256_hex(f->text, f->len, r->checksum);
	r->message = "";
	size_t pos = 0;
	struct line l;
	bool in_header = true;
	struct section *cur = NULL;
	struct vec up_markers = { 0 }, down_markers = { 0 };
	while (next_line(f, &pos, &l)) {
		bool up = is_marker(&l, "-- +upgrade"), down = is_marker(&l, "-- +downgrade");
		if (up || down) {
			struct section *s = up ? &r->up : &r->down;
			if (s->present) {
				diag_error(d, line_span(f, &l), "second '%s' section",
					   up ? "-- +upgrade" : "-- +downgrade");
				continue;
			}
			close_section(cur, f, l.offset);
			in_header = false;
			s->present = true;
			s->offset = pos;
			cur = s;
			continue;
		}
		if (starts_step_marker(&l)) {
			if (cur)
				add_marker(a, d, f, &l, pos, cur == &r->up ? &up_markers
									   : &down_markers);
			else
				diag_error(d, line_span(f, &l), "'%s' outside the '-- +upgrade' "
					   "and '-- +downgrade' sections", STEP_MARKER);
			in_header = false;
			continue;
		}
		if (in_header && l.len >= 2 && l.text[0] == '-' && l.text[1] == '-' &&
		    memchr(l.text, ':', l.len)) {
			parse_header_line(a, d, r, f, &l);
			continue;
		}
		if (in_header && l.len == 0)
			continue;
		if (!cur && l.len) {
			in_header = false;
			if (!(l.len >= 2 && l.text[0] == '-' && l.text[1] == '-'))
				diag_error(d, line_span(f, &l),
					   "SQL before the '-- +upgrade' section");
		}
	}
	close_section(cur, f, f->len);
	if (r->up.present)
		split_steps(a, d, r, &r->up, &up_markers);
	if (r->down.present)
		split_steps(a, d, r, &r->down, &down_markers);
	check_steps(a, d, f, &r->up);
	check_steps(a, d, f, &r->down);
	struct span top = { f, 0, 0 };
	if (!r->id)
		diag_error(d, top, "missing '-- revision:' header");
	if (!r->up.present)
		diag_error(d, top, "missing '-- +upgrade' section");
	if (!r->down.present)
		diag_error(d, top, "missing '-- +downgrade' section");
	if (!r->parents) {
		r->parents = arena_array(a, 1, sizeof(char *));
		r->parents_span = top;
	}
	return d->errors == errors ? r : NULL;
}

bool revs_parse_duration(const char *text, long *ms)
{
	static const struct { const char *unit; double ms; } units[] = {
		{ "us", 0.001 }, { "ms", 1 }, { "s", 1000 }, { "min", 60000 },
		{ "h", 3600000 }, { "d", 86400000 }, { "", 1 },
	};
	if (strcmp(text, "off") == 0) {
		*ms = 0;
		return true;
	}
	const char *p = text;
	double v = 0, scale = 0;
	bool digits = false;
	for (; *p >= '0' && *p <= '9'; p++, digits = true)
		v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++, scale = 0.1; *p >= '0' && *p <= '9'; p++, scale /= 10, digits = true)
			v += (*p - '0') * scale;
	if (!digits)
		return false;
	while (*p == ' ')
		p++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) != 0)
			continue;
		double out = v * units[i].ms;
		/* lock_timeout is an int of milliseconds on the server. */
		if (out > 2147483647.0 || (out > 0 && out < 1))
			return false;
		*ms = (long)out;
		return true;
	}
	return false;
}

const char *revs_slug(struct arena *a, const char *message)
{
	struct strbuf sb = STRBUF_INIT;
	bool sep = false;
	for (const char *p = message; *p && sb.len < 40; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (sep && sb.len)
				strbuf_addch(&sb, '_');
			sep = false;
			if (sb.len < 40)
				strbuf_addch(&sb, c);
		} else {
			sep = true;
		}
	}
	if (sb.len > 40)
		strbuf_setlen(&sb, 40);
	while (sb.len && sb.buf[sb.len - 1] == '_')
		strbuf_setlen(&sb, sb.len - 1);
	const char *out = sb.len ? strbuf_to_arena(&sb, a) : "revision";
	strbuf_release(&sb);
	return out;
}

/* A message is one header line: line ends become spaces. */
static void add_message(struct strbuf *sb, const char *message)
{
	for (const char *p = message; *p; p++)
		strbuf_addch(sb, *p == '\n' || *p == '\r' ? ' ' : *p);
}

int revs_draft(struct arena *a, const char *dir, const struct revision_spec *spec,
	       struct revision_draft *out)
{
	char id[13];
	if (!random_hex(id, 6))
		return EIO;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char created[32];
	strftime(created, sizeof(created), "%Y-%m-%d %H:%M:%SZ", &tm);

	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "-- revision: %s\n-- parents:", id);
	for (size_t i = 0; i < spec->nparents; i++)
		strbuf_addf(&sb, " %s", spec->parents[i]);
	if (spec->nreplaces) {
		strbuf_addstr(&sb, "\n-- replaces:");
		for (size_t i = 0; i < spec->nreplaces; i++)
			strbuf_addf(&sb, " %s", spec->replaces[i]);
	}
	strbuf_addstr(&sb, "\n-- message: ");
	add_message(&sb, spec->message);
	strbuf_addf(&sb, "\n-- created: %s\n", created);
	if (spec->no_transaction)
		strbuf_addstr(&sb, "-- transaction: none\n");
	strbuf_addstr(&sb, "\n-- +upgrade\n");
	strbuf_addstr(&sb, spec->upgrade ? spec->upgrade : "");
	strbuf_addstr(&sb, "\n-- +downgrade\n");
	strbuf_addstr(&sb, spec->downgrade ? spec->downgrade : "");

	const char *name = arena_printf(a, "%s_%s.sql", id, revs_slug(a, spec->message));
	out->id = arena_strdup(a, id);
	out->path = fs_join(a, dir, name);
	out->len = sb.len;
	out->text = strbuf_to_arena(&sb, a);
	strbuf_release(&sb);
	return 0;
}

int revs_write(const struct revision_draft *d)
{
	return fs_write_new(d->path, d->text, d->len);
}
