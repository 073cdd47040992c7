INSERT INTO groups VALUES (1), (2);
