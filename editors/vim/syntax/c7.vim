" Vim syntax file
" Language: c7gen model files (*.c7)
" The language: docs/model-language.md in the c7gen repository.

if exists("b:current_syntax")
  finish
endif

syn case ignore

syn keyword c7Declaration table enum schema extension sequence
syn keyword c7Keyword primary foreign references unique index check constraint
syn keyword c7Keyword default not key on delete update cascade restrict set no
syn keyword c7Keyword action match full simple generated always by as identity
syn keyword c7Keyword stored collate comment renamed from deferrable initially
syn keyword c7Keyword deferred immediate valid nulls distinct first last asc desc
syn keyword c7Keyword using where with include exclude start increment minvalue
syn keyword c7Keyword maxvalue cache cycle
syn keyword c7Constant true false null

" The built-in types and their spellings (src/lang/types.c).
syn keyword c7Type bigint bigserial bit bool boolean box bpchar bytea char
syn keyword c7Type cidr circle date datemultirange daterange decimal float
syn keyword c7Type float4 float8 inet int int2 int4 int4multirange int4range
syn keyword c7Type int8 int8multirange int8range integer interval json jsonb
syn keyword c7Type line lseg macaddr macaddr8 money name numeric
syn keyword c7Type nummultirange numrange oid path pg_lsn point polygon real
syn keyword c7Type serial serial2 serial4 serial8 smallint smallserial text
syn keyword c7Type time timestamp timestamptz timetz tsmultirange tsquery
syn keyword c7Type tsrange tstzmultirange tstzrange tsvector uuid varbit
syn keyword c7Type varchar xml
syn match c7Type "\<double\s\+precision\>"
syn match c7Type "\<character\%(\s\+varying\)\=\>"
syn match c7Type "\<\%(with\|without\)\s\+time\s\+zone\>"

syn match c7Number "\<\d\+\%(\.\d*\)\=\%([eE][-+]\=\d\+\)\=\>"
syn match c7Number "\.\d\+\%([eE][-+]\=\d\+\)\=\>"
syn match c7Operator "::\|[-+*/<>=~!@#%^&|`?]\+"

syn region c7String start=+'+ skip=+''+ end=+'+
syn region c7String start=+\<[eE]'+ skip=+\\\\\|\\'\|''+ end=+'+
syn region c7QuotedName start=+"+ skip=+""+ end=+"+

syn keyword c7Todo TODO FIXME XXX NOTE contained
syn match c7LineComment "--.*$" contains=c7Todo
syn region c7BlockComment start="/\*" end="\*/" contains=c7BlockComment,c7Todo

hi def link c7Declaration Structure
hi def link c7Keyword Keyword
hi def link c7Constant Boolean
hi def link c7Type Type
hi def link c7Number Number
hi def link c7Operator Operator
hi def link c7String String
hi def link c7QuotedName Identifier
hi def link c7Todo Todo
hi def link c7LineComment Comment
hi def link c7BlockComment Comment

let b:current_syntax = "c7"
