/*
 * The language server's view of a project: every model file with its
 * current text (the editor's for open files, the disk's for the rest),
 * each parsed on its own, and the whole analysed together exactly as the
 * command line analyses a models directory.  A change re-parses the one
 * file it touched and re-runs the semantic checks over the parsed trees,
 * all in memory; no database is involved.
 */
#ifndef C7_LSP_PROJECT_H
#define C7_LSP_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/diag.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "lang/ast.h"
#include "lsp/text.h"

struct arena;
struct ir_schema;

struct lsp_doc {
	char *path;          /* absolute; heap */
	char *uri;           /* as the client spells it; heap */
	struct strbuf text;
	bool open;           /* the editor owns the text */
	long version;
	/* The last parse of `text`: everything below lives in `arena`. */
	struct arena *arena;
	struct srcfile *file;
	struct ast_model model;
	struct vec tokens;   /* struct lex_token *, for completion */
	struct diags diags;  /* syntax errors */
	bool parsed_ok;
	struct lsp_lines lines;
	char *published;     /* the diagnostics last sent, as JSON; heap */
	bool must_publish;   /* send them even if they did not change */
	/* Names in this file that refer to something (struct lsp_occ *, by
	 * position), from the project's last analysis (lsp_index_build). */
	struct vec occs;
};

struct lsp_project {
	char *root;          /* the models directory; NULL for a lone file */
	struct lsp_doc **docs; /* sorted by path, as the command line reads them */
	size_t ndocs, cap;
	/* The last analysis: the IR (partial when there are errors) and the
	 * semantic diagnostics; the documents' occs once indexed. */
	struct arena *arena;
	struct ir_schema *ir;
	struct diags diags;
	bool syntax_errors;
	bool indexed;
};

struct lsp_project *lsp_project_new(const char *root);
void lsp_project_free(struct lsp_project *p);
/* Reads every *.c7 under the root from disk. */
void lsp_project_load(struct lsp_project *p);
struct lsp_doc *lsp_project_doc(const struct lsp_project *p, const char *path);
/* Adds a file (and parses it); `uri` NULL makes one from the path. */
struct lsp_doc *lsp_project_add(struct lsp_project *p, const char *path,
				const char *uri, const char *text, size_t len);
void lsp_project_remove(struct lsp_project *p, struct lsp_doc *d);
/* Semantic analysis of all parsed files. */
void lsp_project_analyze(struct lsp_project *p);

/* Replaces the text and parses it again. */
void lsp_doc_set_text(struct lsp_doc *d, const char *text, size_t len);
/* The document's diagnostics as an LSP Diagnostic[]: its syntax errors,
 * and, when no file of the project has any (as on the command line), the
 * semantic ones that point into it. */
json_t *lsp_doc_diagnostics(const struct lsp_project *p,
			    const struct lsp_doc *d, enum lsp_encoding enc);

/* An LSP Range / Location for a span of a document. */
json_t *lsp_range(const struct lsp_doc *d, enum lsp_encoding enc,
		  size_t start, size_t end);
json_t *lsp_location(const struct lsp_doc *d, enum lsp_encoding enc,
		     size_t start, size_t end);

#endif
