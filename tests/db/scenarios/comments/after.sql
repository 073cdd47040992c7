CREATE TABLE t (a int, b int, c int);
COMMENT ON COLUMN t.a IS 'first, changed';
COMMENT ON COLUMN t.c IS 'it''s new';
