INSERT INTO readings VALUES (1, 2.5);
