create table aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (
  bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb int unique,
  c int check (c > 0),
  check (c > 1),
  check (c > 2 and bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb > 0),
  unique (c, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb));
create index on aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (c);
create index on aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (c desc);
create table t (a int, b int, "Mixed" text, check (true), check (false), check (a > b));
create index on t ((a+b), lower("Mixed"), (a::text), upper("Mixed"), lower("Mixed"));
create index on t (a, a);
create index on t (b nulls first);
create index on t (b desc nulls last);
create index named_by_hand on t using hash (a);
create table "ééééééééééééééééééééééééééééééé" (x int primary key);

CREATE TABLE shapes (
  a circle,
  b circle,
  EXCLUDE USING gist (a WITH &&),
  EXCLUDE USING gist (a WITH &&, b WITH &&),
  EXCLUDE USING gist (a WITH &&) WHERE (b IS NOT NULL),
  EXCLUDE USING gist (circle(point(0, 0), 1) WITH &&)
);
