/*
 * Formatting one model file, with the checks that make it safe: shared by
 * `c7gen fmt`, the language server's formatting (through a hook set in
 * src/cmd/lsp.c) and the tests.
 */
#ifndef C7_CMD_FMT_H
#define C7_CMD_FMT_H

#include <stdbool.h>

struct diags;
struct srcfile;
struct strbuf;
struct ir_schema;

/* Appends `f` in the canonical layout to `out`.  False, with diagnostics,
 * when the file has syntax errors, or when the formatted text would not
 * parse to the same models (the same IR, the same semantic errors, the
 * same comments) or would change if formatted again: then nothing is
 * appended, and the file must be left as it is. */
bool fmt_text(struct diags *d, struct srcfile *f, struct strbuf *out);

/* Everything about a schema that formatting must keep: the dump catalog
 * comparisons use, inspect's rendering of each object (which adds column
 * order and every modifier) and the rename hints neither shows.  Safe on
 * the partial IR of models with errors. */
void fmt_fingerprint(struct strbuf *sb, const struct ir_schema *s);

#endif
