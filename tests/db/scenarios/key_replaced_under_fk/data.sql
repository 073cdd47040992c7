INSERT INTO regions VALUES ('n', 'North'), ('s', 'South');
INSERT INTO stores VALUES (1, 'n'), (2, 's'), (3, 'n');
