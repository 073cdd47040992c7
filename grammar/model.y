/*
 * Grammar of the c7gen model language (SPEC §2).  A pure, reentrant parser:
 * all state is in struct parse_state.  Actions only build syntax nodes; the
 * meaning of a model is decided in src/lang/sema.c.  Error productions at
 * item and declaration boundaries let one run report many mistakes.
 */
%define api.pure full
%define parse.error custom
%define parse.lac full
%define api.location.type {struct c7_loc}
%locations
%param {yyscan_t scanner}
%parse-param {struct parse_state *ps}

%code requires {
#include "lang/parse_internal.h"
}

%code {
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "lang/parse.h"

#define YYLLOC_DEFAULT(cur, rhs, n)                                   \
	do {                                                          \
		if (n) {                                              \
			(cur).start = YYRHSLOC(rhs, 1).start;         \
			(cur).end = YYRHSLOC(rhs, n).end;             \
		} else {                                              \
			(cur).start = (cur).end = YYRHSLOC(rhs, 0).end; \
		}                                                     \
	} while (0)

#define NEW(type) ((type *)arena_alloc(ps->nodes, sizeof(type)))
/* Modifiers are rare: only an item that has some gets the struct. */
#define MODS(m) ((m) ? (m) : NEW(struct ast_modifiers))
#define SPAN(loc) ps_span(ps, (loc))
#define PUSH(vecp, item) vec_push(ps->nodes, (vecp), (item))

static struct ast_name *mkname(struct parse_state *ps, struct tok t,
			       struct c7_loc loc);
static struct ast_name *mkraw(struct parse_state *ps, struct c7_loc loc);
static struct ast_expr *mkexpr(struct parse_state *ps, size_t start,
			       size_t end);
static struct ast_attr *mkattr(struct parse_state *ps, enum ast_attr_kind k,
			       struct c7_loc loc);
static struct ast_item *mkitem(struct parse_state *ps, enum ast_item_kind k,
			       struct c7_loc loc);
static struct ast_seq_option *mkseqopt(struct parse_state *ps,
				       enum ast_seq_opt k, long long v,
				       struct c7_loc loc);
static long long parse_integer(struct parse_state *ps, const char *text,
			       bool negative, struct c7_loc loc);
static void set_base_type(struct ast_type *t, const char *name);
static void take_index_mods(struct ast_item *it, struct ast_modifiers *m);
static void yyerror(const struct c7_loc *loc, yyscan_t scanner,
		    struct parse_state *ps, const char *msg);
static void set_typmod(struct parse_state *ps, struct ast_type *t,
		       const struct typmods *m, struct c7_loc loc);
static void only_interval(struct parse_state *ps, struct ast_type *t,
			  struct c7_loc loc);
static bool error_within(const struct parse_state *ps, struct c7_loc loc);
static const char *token_text(struct parse_state *ps, struct c7_loc loc,
			      struct strbuf *sb);
}

%union {
	struct tok tok;
	struct ast_name *name;
	struct ast_qname *qname;
	struct ast_type *type;
	struct ast_expr *expr;
	struct ast_attr *attr;
	struct ast_fkref *ref;
	struct ast_item *item;
	struct ast_index_elem *elem;
	struct ast_label *label;
	struct ast_column *column;
	struct vec *list;
	struct typmods *typmods;
	struct ast_modifiers *mods;
	struct ast_seq_option *seqopt;
	long long llval;
	int ival;
	char action;
}

%token END 0 "end of file"
%token NL "end of line"
%token <tok> IDENT "name"
%token <tok> STRING "string"
%token <tok> NUMBER "number"
%token <tok> OP "operator"
%token DCOLON "'::'"

/* Reserved words: names only when double-quoted. */
%token <tok> TABLE "'table'" ENUM "'enum'" PRIMARY "'primary'"
%token <tok> FOREIGN "'foreign'" REFERENCES "'references'" UNIQUE "'unique'"
%token <tok> INDEX "'index'" CHECK "'check'" CONSTRAINT "'constraint'"
%token <tok> DEFAULT "'default'" NOT "'not'" NULL_P "'null'"
%token <tok> TRUE_P "'true'" FALSE_P "'false'"

/* Words with a meaning in some places that are ordinary names elsewhere. */
%token <tok> ACTION "'action'" ALWAYS "'always'" AS "'as'" ASC "'asc'"
%token <tok> BY "'by'" CASCADE "'cascade'" CHARACTER "'character'"
%token <tok> COLLATE "'collate'" COMMENT_KW "'comment'" DELETE "'delete'"
%token <tok> DESC "'desc'" DOUBLE "'double'" FIRST "'first'" FROM "'from'"
%token <tok> GENERATED "'generated'" IDENTITY "'identity'" KEY "'key'"
%token <tok> LAST "'last'" NO "'no'" NULLS "'nulls'" ON "'on'"
%token <tok> PRECISION "'precision'" RENAMED "'renamed'" RESTRICT "'restrict'"
%token <tok> SET "'set'" STORED "'stored'" TIME "'time'"
%token <tok> TIMESTAMP "'timestamp'" UPDATE "'update'" USING "'using'"
%token <tok> VARYING "'varying'" WHERE "'where'" WITH "'with'"
%token <tok> WITHOUT "'without'" ZONE "'zone'"
%token <tok> SEQUENCE "'sequence'" START "'start'" INCREMENT "'increment'"
%token <tok> MINVALUE "'minvalue'" MAXVALUE "'maxvalue'" CACHE "'cache'"
%token <tok> CYCLE "'cycle'" SCHEMA "'schema'"
%token <tok> DEFERRABLE "'deferrable'" DEFERRED "'deferred'" DISTINCT "'distinct'"
%token <tok> FULL "'full'" IMMEDIATE "'immediate'" INCLUDE "'include'"
%token <tok> INITIALLY "'initially'" MATCH "'match'" SIMPLE "'simple'"
%token <tok> INHERIT "'inherit'"
%token <tok> VALID "'valid'" EXTENSION "'extension'" EXCLUDE "'exclude'"

%type <tok> unreserved type_unreserved reserved any_word
%type <name> name label_text
%type <expr> exclude_where
%type <qname> qname rename_opt
%type <type> type base_type
%type <ival> array_opt
%type <list> name_list ref_cols_opt index_elems col_attrs labels
%type <list> labels_body body items
%type <typmods> typmod_opt typmod_list
%type <tok> type_word
%type <type> type_name
%type <ref> fk_actions
%type <label> label
%type <attr> col_attr named_col_con
%type <ref> references
%type <action> fk_action
%type <expr> paren_expr default_expr
%type <item> item table_constraint con_body index_def exclude_body
%type <elem> index_elem
%type <column> column_def
%type <ival> order_opt nulls_opt
%type <name> index_name_opt
%type <mods> con_mods idx_mods
%type <qname> opclass_opt
%type <tok> tz_opt
%type <list> seq_options identity_options
%type <seqopt> seq_option
%type <llval> signed_number

%%

model:
	  %empty
	| model decl
	;

decl:
	  ENUM qname '{' labels_body '}'
		{
			struct ast_enum *e = NEW(struct ast_enum);
			e->name = *$2;
			e->labels = *$4;
			e->span = SPAN(@$);
			PUSH(&ps->model->enums, e);
		}
	| TABLE qname rename_opt '{' body '}'
		{
			struct ast_table *t = NEW(struct ast_table);
			t->name = *$2;
			t->renamed_from = $3;
			t->span = SPAN(@$);
			t->items = *$5;
			t->broken = error_within(ps, @$);
			PUSH(&ps->model->tables, t);
		}
	| SCHEMA name
		{ PUSH(&ps->model->schemas, $2); }
	| EXTENSION name
		{
			struct ast_extension *x = NEW(struct ast_extension);
			x->name = *$2;
			x->span = SPAN(@$);
			PUSH(&ps->model->extensions, x);
		}
	/* As CREATE EXTENSION spells it; a bare SCHEMA would start the next
	 * declaration. */
	| EXTENSION name WITH SCHEMA name
		{
			struct ast_extension *x = NEW(struct ast_extension);
			x->name = *$2;
			x->schema = $5;
			x->span = SPAN(@$);
			PUSH(&ps->model->extensions, x);
		}
	| SEQUENCE qname seq_options
		{
			struct ast_sequence *q = NEW(struct ast_sequence);
			q->name = *$2;
			q->options = *$3;
			q->span = SPAN(@$);
			PUSH(&ps->model->sequences, q);
		}
	| error '}'
		{ yyerrok; }
	;

identity_options:
	  %empty
		{ $$ = NULL; }
	| '(' seq_options ')'
		{ $$ = $2; }
	;

seq_options:
	  %empty
		{ $$ = NEW(struct vec); }
	| seq_options seq_option
		{ $$ = $1; PUSH($$, $2); }
	;

seq_option:
	  AS type             { $$ = mkseqopt(ps, AST_SEQ_AS, 0, @$); $$->type = $2; }
	| START signed_number { $$ = mkseqopt(ps, AST_SEQ_START, $2, @$); }
	| START WITH signed_number { $$ = mkseqopt(ps, AST_SEQ_START, $3, @$); }
	| INCREMENT signed_number { $$ = mkseqopt(ps, AST_SEQ_INCREMENT, $2, @$); }
	| INCREMENT BY signed_number { $$ = mkseqopt(ps, AST_SEQ_INCREMENT, $3, @$); }
	| MINVALUE signed_number { $$ = mkseqopt(ps, AST_SEQ_MINVALUE, $2, @$); }
	| NO MINVALUE         { $$ = mkseqopt(ps, AST_SEQ_NO_MINVALUE, 0, @$); }
	| MAXVALUE signed_number { $$ = mkseqopt(ps, AST_SEQ_MAXVALUE, $2, @$); }
	| NO MAXVALUE         { $$ = mkseqopt(ps, AST_SEQ_NO_MAXVALUE, 0, @$); }
	| CACHE signed_number { $$ = mkseqopt(ps, AST_SEQ_CACHE, $2, @$); }
	| CYCLE               { $$ = mkseqopt(ps, AST_SEQ_CYCLE, 0, @$); }
	| NO CYCLE            { $$ = mkseqopt(ps, AST_SEQ_NO_CYCLE, 0, @$); }
	;

signed_number:
	  NUMBER
		{ $$ = parse_integer(ps, $1.text, false, @1); }
	| OP NUMBER
		{
			if (strcmp($1.text, "-") != 0 && strcmp($1.text, "+") != 0)
				diag_error(ps->diags, SPAN(@1), "expected a number");
			$$ = parse_integer(ps, $2.text, $1.text[0] == '-', @$);
		}
	;

labels_body:
	  nls_opt
		{ $$ = NEW(struct vec); }
	| nls_opt labels nls_opt
		{ $$ = $2; }
	| nls_opt labels ',' nls_opt
		{ $$ = $2; }
	;

labels:
	  label
		{ $$ = NEW(struct vec); PUSH($$, $1); }
	| labels ',' nls_opt label
		{ $$ = $1; PUSH($$, $4); }
	;

label:
	  label_text
		{ $$ = NEW(struct ast_label); $$->text = $1->text; $$->span = $1->span; }
	| label_text RENAMED FROM label_text
		{
			$$ = NEW(struct ast_label);
			$$->text = $1->text;
			$$->span = $1->span;
			$$->renamed_from = $4;
		}
	;

/* Enum labels are taken exactly as written: bare words keep their case,
 * quoted ones their content. */
label_text:
	  IDENT
		{ $$ = $1.quoted ? mkname(ps, $1, @1) : mkraw(ps, @1); }
	| unreserved
		{ $$ = mkraw(ps, @1); }
	| reserved
		{ $$ = mkraw(ps, @1); }
	| STRING
		{ $$ = mkname(ps, $1, @1); }
	;

nls_opt:
	  %empty
	| NL
	;

rename_opt:
	  %empty
		{ $$ = NULL; }
	| RENAMED FROM qname
		{ $$ = $3; }
	;

body:
	  seps_opt
		{ $$ = NEW(struct vec); }
	| seps_opt items seps_opt
		{ $$ = $2; }
	;

items:
	  item
		{ $$ = NEW(struct vec); if ($1) PUSH($$, $1); }
	| items seps item
		{ $$ = $1; if ($3) PUSH($$, $3); }
	;

seps_opt:
	  %empty
	| seps
	;

seps:
	  sep
	| seps sep
	;

sep:
	  NL
	| ';'
	;

item:
	  column_def
		{ $$ = mkitem(ps, AST_ITEM_COLUMN, @$); $$->column = $1; }
	| table_constraint
		{ $$ = $1; }
	| index_def
		{ $$ = $1; }
	| COMMENT_KW STRING
		{ $$ = mkitem(ps, AST_ITEM_COMMENT, @$); $$->comment = mkname(ps, $2, @2); }
	| error
		{ $$ = NULL; }
	;

column_def:
	  name type col_attrs
		{
			$$ = NEW(struct ast_column);
			$$->name = *$1;
			$$->type = *$2;
			$$->attrs = *$3;
		}
	;

type:
	  base_type array_opt
		{
			$$ = $1;
			/* The server treats every array as of any dimension. */
			$$->array_dims = $2 > 6 ? 6 : (unsigned char)$2;
			$$->span = SPAN(@$);
		}
	;

base_type:
	  DOUBLE PRECISION
		{ $$ = NEW(struct ast_type); set_base_type($$, "double precision"); $$->name_span = SPAN(@$); }
	| CHARACTER VARYING typmod_opt
		{
			$$ = NEW(struct ast_type);
			set_base_type($$, "character varying");
			$$->name_span = SPAN(@$);
			set_typmod(ps, $$, $3, @3);
		}
	| CHARACTER typmod_opt
		{
			$$ = NEW(struct ast_type);
			set_base_type($$, "character");
			$$->name_span = SPAN(@1);
			set_typmod(ps, $$, $2, @2);
		}
	| TIME typmod_opt tz_opt
		{
			$$ = NEW(struct ast_type);
			set_base_type($$, "time");
			$$->name_span = SPAN(@1);
			$$->tz = $3.text;
			set_typmod(ps, $$, $2, @2);
		}
	| TIMESTAMP typmod_opt tz_opt
		{
			$$ = NEW(struct ast_type);
			set_base_type($$, "timestamp");
			$$->name_span = SPAN(@1);
			$$->tz = $3.text;
			set_typmod(ps, $$, $2, @2);
		}
	| type_name typmod_opt
		{
			$$ = $1;
			set_typmod(ps, $$, $2, @2);
		}
	/* interval's fields: "interval second(3)", "interval day to hour". */
	| type_name IDENT typmod_opt
		{
			$$ = $1;
			$$->fields = $2.text;
			only_interval(ps, $$, @2);
			set_typmod(ps, $$, $3, @3);
		}
	| type_name IDENT IDENT IDENT typmod_opt
		{
			$$ = $1;
			$$->fields = arena_printf(ps->arena, "%s %s %s", $2.text, $3.text, $4.text);
			only_interval(ps, $$, @2);
			set_typmod(ps, $$, $5, @5);
		}
	;

type_name:
	  type_word
		{
			struct ast_type *t = NEW(struct ast_type);
			t->name = $1.text;
			t->quoted = $1.quoted;
			t->name_span = SPAN(@1);
			$$ = t;
		}
	| type_word '.' type_word
		{
			struct ast_type *t = NEW(struct ast_type);
			t->schema = $1.text;
			t->name = $3.text;
			t->quoted = true;
			t->name_span = SPAN(@$);
			$$ = t;
		}
	;

type_word:
	  IDENT           { $$ = $1; }
	| type_unreserved { $$ = $1; }
	;

typmod_opt:
	  %empty
		{ $$ = NULL; }
	| '(' typmod_list ')'
		{ $$ = $2; }
	;

typmod_list:
	  NUMBER
		{ $$ = NEW(struct typmods); $$->mods[0] = $1; $$->n = 1; }
	| typmod_list ',' NUMBER
		{
			$$ = $1;
			if ($$->n < 2)
				$$->mods[$$->n] = $3;
			$$->n++;
		}
	;

tz_opt:
	  %empty             { $$.text = NULL; $$.quoted = false; }
	| WITH TIME ZONE     { $$.text = "with"; $$.quoted = false; }
	| WITHOUT TIME ZONE  { $$.text = "without"; $$.quoted = false; }
	;

array_opt:
	  %empty                  { $$ = 0; }
	| array_opt '[' ']'        { $$ = $1 + 1; }
	| array_opt '[' NUMBER ']' { $$ = $1 + 1; }
	;

col_attrs:
	  %empty
		{ $$ = NEW(struct vec); }
	| col_attrs col_attr
		{ $$ = $1; PUSH($$, $2); }
	;

col_attr:
	  NOT NULL_P
		{ $$ = mkattr(ps, AST_ATTR_NOT_NULL, @$); }
	| NULL_P
		{ $$ = mkattr(ps, AST_ATTR_NULL, @$); }
	| PRIMARY KEY
		{ $$ = mkattr(ps, AST_ATTR_PRIMARY_KEY, @$); }
	| UNIQUE
		{ $$ = mkattr(ps, AST_ATTR_UNIQUE, @$); }
	| DEFAULT default_expr
		{ $$ = mkattr(ps, AST_ATTR_DEFAULT, @$); $$->expr = $2; }
	| references
		{ $$ = mkattr(ps, AST_ATTR_REFERENCES, @$); $$->ref = $1; }
	| CHECK paren_expr
		{ $$ = mkattr(ps, AST_ATTR_CHECK, @$); $$->expr = $2; }
	| COMMENT_KW STRING
		{ $$ = mkattr(ps, AST_ATTR_COMMENT, @$); $$->text = mkname(ps, $2, @2); }
	| GENERATED ALWAYS AS IDENTITY identity_options
		{ $$ = mkattr(ps, AST_ATTR_IDENTITY_ALWAYS, @$); $$->seqopts = $5; }
	| GENERATED BY DEFAULT AS IDENTITY identity_options
		{ $$ = mkattr(ps, AST_ATTR_IDENTITY_BY_DEFAULT, @$); $$->seqopts = $6; }
	| GENERATED ALWAYS AS paren_expr STORED
		{ $$ = mkattr(ps, AST_ATTR_GENERATED, @$); $$->expr = $4; }
	| COLLATE name
		{ $$ = mkattr(ps, AST_ATTR_COLLATE, @$); $$->text = $2; }
	| RENAMED FROM name
		{ $$ = mkattr(ps, AST_ATTR_RENAMED, @$); $$->text = $3; }
	| DEFERRABLE
		{ $$ = mkattr(ps, AST_ATTR_DEFERRABLE, @$); }
	| NOT DEFERRABLE
		{ $$ = mkattr(ps, AST_ATTR_NOT_DEFERRABLE, @$); }
	| INITIALLY DEFERRED
		{ $$ = mkattr(ps, AST_ATTR_INITIALLY_DEFERRED, @$); }
	| INITIALLY IMMEDIATE
		{ $$ = mkattr(ps, AST_ATTR_INITIALLY_IMMEDIATE, @$); }
	| NOT VALID
		{ $$ = mkattr(ps, AST_ATTR_NOT_VALID, @$); }
	| NO INHERIT
		{ $$ = mkattr(ps, AST_ATTR_NO_INHERIT, @$); }
	| CONSTRAINT name named_col_con
		{ $$ = $3; $$->con_name = $2; $$->span = SPAN(@$); }
	;

named_col_con:
	  NOT NULL_P
		{ $$ = mkattr(ps, AST_ATTR_NOT_NULL, @$); }
	| PRIMARY KEY
		{ $$ = mkattr(ps, AST_ATTR_PRIMARY_KEY, @$); }
	| UNIQUE
		{ $$ = mkattr(ps, AST_ATTR_UNIQUE, @$); }
	| references
		{ $$ = mkattr(ps, AST_ATTR_REFERENCES, @$); $$->ref = $1; }
	| CHECK paren_expr
		{ $$ = mkattr(ps, AST_ATTR_CHECK, @$); $$->expr = $2; }
	;

default_expr:
	  default_primary
		{ $$ = mkexpr(ps, @1.start, @1.end); }
	| default_expr DCOLON type
		{ $$ = mkexpr(ps, @1.start, @3.end); }
	;

default_primary:
	  NUMBER
	| OP NUMBER
		{
			if (strcmp($1.text, "-") != 0 && strcmp($1.text, "+") != 0) {
				diag_error(ps->diags, SPAN(@1),
					   "unexpected operator '%s' in default; "
					   "wrap the expression in parentheses", $1.text);
			}
		}
	| STRING
	| TRUE_P
	| FALSE_P
	| NULL_P
	| func_name
	| func_name '(' balanced ')'
	| func_name '[' bracketed ']'
	| paren_expr
	;

/* Inside ARRAY[...]: like balanced, with brackets nesting instead. */
bracketed:
	  %empty
	| bracketed bracket_tok
	| bracketed '(' balanced ')'
	| bracketed '[' bracketed ']'
	;

bracket_tok:
	  any_word
	| STRING
	| NUMBER
	| OP
	| DCOLON
	| ','
	| '.'
	;

func_name:
	  name
	| name '.' name
	;

references:
	  REFERENCES qname ref_cols_opt fk_actions
		{
			$$ = NEW(struct ast_fkref);
			$$->table = *$2;
			if ($3)
				$$->cols = *$3;
			$$->on_delete = $4 ? $4->on_delete : 0;
			$$->on_update = $4 ? $4->on_update : 0;
			$$->match = $4 ? $4->match : 0;
			$$->span = SPAN(@$);
		}
	;

ref_cols_opt:
	  %empty
		{ $$ = NULL; }
	| '(' name_list ')'
		{ $$ = $2; }
	;

fk_actions:
	  %empty
		{ $$ = NULL; }
	| fk_actions ON DELETE fk_action
		{
			$$ = $1 ? $1 : NEW(struct ast_fkref);
			if ($$->on_delete)
				diag_error(ps->diags, SPAN(@2), "'on delete' given twice");
			$$->on_delete = $4;
		}
	| fk_actions ON UPDATE fk_action
		{
			$$ = $1 ? $1 : NEW(struct ast_fkref);
			if ($$->on_update)
				diag_error(ps->diags, SPAN(@2), "'on update' given twice");
			$$->on_update = $4;
		}
	| fk_actions MATCH FULL
		{ $$ = $1 ? $1 : NEW(struct ast_fkref); $$->match = 'f'; }
	| fk_actions MATCH SIMPLE
		{ $$ = $1 ? $1 : NEW(struct ast_fkref); $$->match = 's'; }
	;

fk_action:
	  CASCADE        { $$ = AST_FK_CASCADE; }
	| RESTRICT       { $$ = AST_FK_RESTRICT; }
	| SET NULL_P     { $$ = AST_FK_SET_NULL; }
	| SET DEFAULT    { $$ = AST_FK_SET_DEFAULT; }
	| NO ACTION      { $$ = AST_FK_NO_ACTION; }
	;

table_constraint:
	  con_body con_mods
		{ $$ = $1; $$->mods = $2; $$->span = SPAN(@$); }
	| CONSTRAINT name con_body con_mods
		{ $$ = $3; $$->con_name = $2; $$->mods = $4; $$->span = SPAN(@$); }
	;

con_mods:
	  %empty
		{ $$ = NULL; }
	| con_mods DEFERRABLE            { $$ = MODS($1); $$->deferrable = true; }
	| con_mods NOT DEFERRABLE        { $$ = MODS($1); $$->not_deferrable = true; }
	| con_mods INITIALLY DEFERRED    { $$ = MODS($1); $$->deferred = true; }
	| con_mods INITIALLY IMMEDIATE   { $$ = MODS($1); $$->immediate = true; }
	| con_mods NOT VALID             { $$ = MODS($1); $$->not_valid = true; $$->span = SPAN(@2); }
	| con_mods NO INHERIT            { $$ = MODS($1); $$->no_inherit = true; $$->inherit_span = SPAN(@2); }
	| con_mods NULLS NOT DISTINCT    { $$ = MODS($1); $$->nulls_not_distinct = true; $$->span = SPAN(@2); }
	| con_mods INCLUDE '(' name_list ')'
		{ $$ = MODS($1); $$->include = *$4; $$->span = SPAN(@2); }
	;

con_body:
	  PRIMARY KEY '(' name_list ')'
		{ $$ = mkitem(ps, AST_ITEM_PRIMARY_KEY, @$); $$->cols = *$4; }
	| UNIQUE '(' name_list ')'
		{ $$ = mkitem(ps, AST_ITEM_UNIQUE, @$); $$->cols = *$3; }
	| FOREIGN KEY '(' name_list ')' references
		{ $$ = mkitem(ps, AST_ITEM_FOREIGN_KEY, @$); $$->cols = *$4; $$->ref = $6; }
	| CHECK paren_expr
		{ $$ = mkitem(ps, AST_ITEM_CHECK, @$); $$->expr = $2; }
	| exclude_body
	;

/* The elements ("c with &&") are kept as text, as expressions are.
 * "using" is no type name, so "exclude using" cannot start a column. */
exclude_body:
	  EXCLUDE USING name paren_expr exclude_where
		{
			$$ = mkitem(ps, AST_ITEM_EXCLUDE, @$);
			$$->method = $3;
			$$->expr = $4;
			$$->where = $5;
		}
	;

exclude_where:
	  %empty            { $$ = NULL; }
	| WHERE paren_expr  { $$ = $2; }
	;

index_def:
	  INDEX index_name_opt '(' index_elems ')' idx_mods
		{
			$$ = mkitem(ps, AST_ITEM_INDEX, @$);
			$$->con_name = $2;
			$$->elems = *$4;
			take_index_mods($$, $6);
		}
	| UNIQUE INDEX index_name_opt '(' index_elems ')' idx_mods
		{
			$$ = mkitem(ps, AST_ITEM_INDEX, @$);
			$$->unique = true;
			$$->con_name = $3;
			$$->elems = *$5;
			take_index_mods($$, $7);
		}
	;

/* After an index's elements, in any order. */
idx_mods:
	  %empty
		{ $$ = NULL; }
	| idx_mods USING name            { $$ = MODS($1); $$->method = $3; }
	| idx_mods WHERE paren_expr      { $$ = MODS($1); $$->where = $3; }
	| idx_mods WITH paren_expr       { $$ = MODS($1); $$->with = $3; }
	| idx_mods NULLS NOT DISTINCT    { $$ = MODS($1); $$->nulls_not_distinct = true; $$->span = SPAN(@2); }
	| idx_mods INCLUDE '(' name_list ')'
		{ $$ = MODS($1); $$->include = *$4; }
	;

index_name_opt:
	  %empty  { $$ = NULL; }
	| name    { $$ = $1; }
	;


index_elems:
	  index_elem
		{ $$ = NEW(struct vec); PUSH($$, $1); }
	| index_elems ',' index_elem
		{ $$ = $1; PUSH($$, $3); }
	;

index_elem:
	  name opclass_opt order_opt nulls_opt
		{
			$$ = NEW(struct ast_index_elem);
			$$->column = $1;
			$$->opclass = $2;
			$$->desc = $3;
			$$->nulls = (enum ast_nulls)$4;
			$$->span = SPAN(@$);
		}
	| func_call opclass_opt order_opt nulls_opt
		{
			$$ = NEW(struct ast_index_elem);
			$$->expr = mkexpr(ps, @1.start, @1.end);
			$$->opclass = $2;
			$$->desc = $3;
			$$->nulls = (enum ast_nulls)$4;
			$$->span = SPAN(@$);
		}
	| '(' balanced ')' opclass_opt order_opt nulls_opt
		{
			$$ = NEW(struct ast_index_elem);
			$$->expr = mkexpr(ps, @1.start, @3.end);
			$$->opclass = $4;
			$$->desc = $5;
			$$->nulls = (enum ast_nulls)$6;
			$$->span = SPAN(@$);
		}
	;

/* An operator class is a plain (or qualified) name: asc, desc and nulls
 * keep their meaning. */
opclass_opt:
	  %empty
		{ $$ = NULL; }
	| IDENT
		{ $$ = NEW(struct ast_qname); $$->name = $1.text; $$->span = SPAN(@1); }
	| IDENT '.' IDENT
		{
			$$ = NEW(struct ast_qname);
			$$->schema = $1.text;
			$$->name = $3.text;
			$$->span = SPAN(@$);
		}
	;

func_call:
	  name '(' balanced ')'
	| name '.' name '(' balanced ')'
	;

order_opt:
	  %empty  { $$ = 0; }
	| ASC     { $$ = 0; }
	| DESC    { $$ = 1; }
	;

nulls_opt:
	  %empty      { $$ = AST_NULLS_DEFAULT; }
	| NULLS FIRST { $$ = AST_NULLS_FIRST; }
	| NULLS LAST  { $$ = AST_NULLS_LAST; }
	;

paren_expr:
	  '(' balanced ')'
		{ $$ = mkexpr(ps, @1.end, @3.start); $$->span = SPAN(@$); }
	;

balanced:
	  %empty
	| balanced btok
	| balanced '(' balanced ')'
	;

btok:
	  any_word
	| STRING
	| NUMBER
	| OP
	| DCOLON
	| ','
	| '.'
	| '['
	| ']'
	;

name_list:
	  name
		{ $$ = NEW(struct vec); PUSH($$, $1); }
	| name_list ',' name
		{ $$ = $1; PUSH($$, $3); }
	;

qname:
	  name
		{
			$$ = NEW(struct ast_qname);
			$$->name = $1->text;
			$$->span = $1->span;
		}
	| name '.' name
		{
			$$ = NEW(struct ast_qname);
			$$->schema = $1->text;
			$$->name = $3->text;
			$$->span = SPAN(@$);
		}
	;

name:
	  IDENT       { $$ = mkname(ps, $1, @1); }
	| unreserved  { $$ = mkname(ps, $1, @1); }
	;

any_word:
	  IDENT       { $$ = $1; }
	| unreserved  { $$ = $1; }
	| reserved    { $$ = $1; }
	;

reserved:
	  TABLE | ENUM | PRIMARY | FOREIGN | REFERENCES | UNIQUE | INDEX | CHECK
	| CONSTRAINT | DEFAULT | NOT | NULL_P | TRUE_P | FALSE_P
	;

unreserved:
	  type_unreserved
	| CHARACTER | DOUBLE | TIME | TIMESTAMP | USING
	;

/* Words that may also name a type; the four that start a built-in
 * multi-word type spelling are left out, and so is "using" (reserved in
 * SQL), which lets "exclude using" start an exclusion constraint. */
type_unreserved:
	  ACTION | ALWAYS | AS | ASC | BY | CACHE | CASCADE | COLLATE | COMMENT_KW
	| CYCLE | INCREMENT | MAXVALUE | MINVALUE | SCHEMA | SEQUENCE | START
	| DEFERRABLE | DEFERRED | DISTINCT | FULL | IMMEDIATE | INCLUDE
	| INITIALLY | MATCH | SIMPLE | VALID | EXTENSION | EXCLUDE | INHERIT
	| DELETE | DESC | FIRST | FROM | GENERATED | IDENTITY | KEY | LAST | NO
	| NULLS | ON | PRECISION | RENAMED | RESTRICT | SET | STORED | UPDATE
	| VARYING | WHERE | WITH | WITHOUT | ZONE
	;

%%

static struct ast_name *mkname(struct parse_state *ps, struct tok t,
			       struct c7_loc loc)
{
	struct ast_name *n = NEW(struct ast_name);
	n->text = t.text;
	n->span = ps_span(ps, loc);
	return n;
}

/* A word exactly as it appears in the source, unfolded. */
static struct ast_name *mkraw(struct parse_state *ps, struct c7_loc loc)
{
	struct ast_name *n = NEW(struct ast_name);
	n->text = arena_strndup(ps->arena, ps->file->text + loc.start,
				loc.end - loc.start);
	n->span = ps_span(ps, loc);
	return n;
}

static struct ast_expr *mkexpr(struct parse_state *ps, size_t start,
			       size_t end)
{
	struct ast_expr *e = NEW(struct ast_expr);
	struct c7_loc loc = { start, end };
	e->text = ps_text(ps, start, end);
	e->span = ps_span(ps, loc);
	return e;
}

static struct ast_attr *mkattr(struct parse_state *ps, enum ast_attr_kind k,
			       struct c7_loc loc)
{
	struct ast_attr *a = NEW(struct ast_attr);
	a->kind = k;
	a->span = ps_span(ps, loc);
	return a;
}

static struct ast_item *mkitem(struct parse_state *ps, enum ast_item_kind k,
			       struct c7_loc loc)
{
	struct ast_item *it = NEW(struct ast_item);
	it->kind = k;
	it->span = ps_span(ps, loc);
	return it;
}

static struct ast_seq_option *mkseqopt(struct parse_state *ps,
				       enum ast_seq_opt k, long long v,
				       struct c7_loc loc)
{
	struct ast_seq_option *o = NEW(struct ast_seq_option);
	o->kind = k;
	o->value = v;
	o->span = ps_span(ps, loc);
	return o;
}

/* A whole number within 64 bits, as sequence options need. */
static long long parse_integer(struct parse_state *ps, const char *text,
			       bool negative, struct c7_loc loc)
{
	unsigned long long v = 0;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9' || v > 922337203685477580ULL) {
			diag_error(ps->diags, ps_span(ps, loc),
				   "expected a whole number that fits in bigint");
			return 0;
		}
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (v > 9223372036854775807ULL + (negative ? 1ULL : 0ULL)) {
		diag_error(ps->diags, ps_span(ps, loc),
			   "expected a whole number that fits in bigint");
		return 0;
	}
	return negative ? (long long)(0 - v) : (long long)v;
}

static void take_index_mods(struct ast_item *it, struct ast_modifiers *m)
{
	if (!m)
		return;
	it->method = m->method;
	it->where = m->where;
	it->mods = m;
}

static void set_base_type(struct ast_type *t, const char *name)
{
	t->name = name;
}

static void set_typmod(struct parse_state *ps, struct ast_type *t,
		       const struct typmods *m, struct c7_loc loc)
{
	if (!m)
		return;
	if (m->n > 2) {
		diag_error(ps->diags, ps_span(ps, loc),
			   "too many type modifiers (at most two)");
		return;
	}
	for (int i = 0; i < m->n; i++) {
		long v = 0;
		for (const char *s = m->mods[i].text; *s; s++) {
			if (*s < '0' || *s > '9' || v > 100000000) {
				diag_error(ps->diags, ps_span(ps, loc),
					   "type modifier must be a small whole number");
				return;
			}
			v = v * 10 + (*s - '0');
		}
		t->mods[i] = v;
	}
	t->nmods = m->n;
}

/* Only reached for conditions other than syntax errors (which go through
 * yyreport_syntax_error), such as the parser's stack running out. */
/* Only interval takes words after its name; anything else there is the
 * syntax error it would have been without interval fields
 * ("x int nott null"). */
static void only_interval(struct parse_state *ps, struct ast_type *t,
			  struct c7_loc loc)
{
	if (!t->schema && !t->quoted && strcmp(t->name, "interval") == 0)
		return;
	struct strbuf sb = STRBUF_INIT;
	diag_error(ps->diags, ps_span(ps, loc), "unexpected '%s'",
		   token_text(ps, loc, &sb));
	strbuf_release(&sb);
	t->fields = NULL;
}

static void yyerror(const struct c7_loc *loc, yyscan_t scanner,
		    struct parse_state *ps, const char *msg)
{
	(void)scanner;
	diag_error(ps->diags, ps_span(ps, *loc), "%s", msg);
}

static const char *token_text(struct parse_state *ps, struct c7_loc loc,
			      struct strbuf *sb)
{
	size_t len = loc.end - loc.start;
	if (len > 40)
		len = 40;
	strbuf_reset(sb);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)ps->file->text[loc.start + i];
		strbuf_addch(sb, c < 0x20 ? '?' : (char)c);
	}
	if (loc.end - loc.start > 40)
		strbuf_addstr(sb, "...");
	return strbuf_str(sb);
}

/* An error was reported inside `loc` of this file: the declaration there
 * was recovered from a syntax error, so what is missing from it is no
 * mistake of its own (see lang_analyze_partial).  Errors arrive in text
 * order, so only the newest ones can lie inside. */
static bool error_within(const struct parse_state *ps, struct c7_loc loc)
{
	const struct vec *list = &ps->diags->list;
	for (size_t i = list->len; i-- > 0;) {
		const struct diag *g = list->items[i];
		if (g->span.file != ps->file || g->span.start < loc.start)
			return false;
		if (g->severity == DIAG_ERROR && g->span.start < loc.end)
			return true;
	}
	return false;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner,
				 struct parse_state *ps)
{
	(void)scanner;
	/* The scanner gave up on the input and said why; the parser's view
	 * of the sudden end adds nothing. */
	if (ps->stop)
		return 0;
	enum { MAX_EXPECTED = 7 };
	yysymbol_kind_t expected[MAX_EXPECTED];
	int n = yypcontext_expected_tokens(ctx, expected, MAX_EXPECTED);
	yysymbol_kind_t got = yypcontext_token(ctx);
	const struct c7_loc *loc = yypcontext_location(ctx);

	struct strbuf msg = STRBUF_INIT, tmp = STRBUF_INIT;
	if (got == YYSYMBOL_YYEOF)
		strbuf_addstr(&msg, "unexpected end of file");
	else if (got == YYSYMBOL_NL)
		strbuf_addstr(&msg, "unexpected end of line");
	else
		strbuf_addf(&msg, "unexpected '%s'", token_text(ps, *loc, &tmp));
	/* Long lists of alternatives help nobody; name them only when few. */
	if (n > 0 && n <= 6) {
		strbuf_addstr(&msg, ", expected ");
		for (int i = 0; i < n; i++) {
			if (i)
				strbuf_addstr(&msg, i + 1 == n ? " or " : ", ");
			strbuf_addstr(&msg, yysymbol_name(expected[i]));
		}
	}
	diag_error(ps->diags, ps_span(ps, *loc), "%s", strbuf_str(&msg));
	strbuf_release(&msg);
	strbuf_release(&tmp);
	return 0;
}
