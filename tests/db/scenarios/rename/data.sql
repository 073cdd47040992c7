INSERT INTO people VALUES (1, 'Ada'), (2, 'Brian');
INSERT INTO pets VALUES (10, 1);
