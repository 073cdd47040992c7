INSERT INTO lines VALUES (1, 2.5, 'first'), (2, 3, 'second');
