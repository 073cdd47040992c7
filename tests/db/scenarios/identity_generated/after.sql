CREATE TABLE t (
  a int GENERATED ALWAYS AS IDENTITY,
  b int,
  c int GENERATED ALWAYS AS (a * 3) STORED,
  d int,
  e text COLLATE "POSIX"
);
