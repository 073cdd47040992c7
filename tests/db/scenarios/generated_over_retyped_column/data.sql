INSERT INTO lines (id, quantity, price) VALUES (1, 3, 2.50), (2, 1, 10);
