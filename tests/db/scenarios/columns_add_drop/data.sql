INSERT INTO accounts VALUES (1, 'x'), (2, NULL);
