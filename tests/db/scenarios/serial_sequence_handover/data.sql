INSERT INTO a (v) VALUES ('x'), ('y'), ('z');
INSERT INTO b (v) VALUES ('x'), ('y'), ('z');
