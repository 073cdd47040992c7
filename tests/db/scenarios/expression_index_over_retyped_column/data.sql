INSERT INTO users VALUES (1, 'Ann@example.com', 7), (2, 'bob@example.com', 8);
