INSERT INTO lines (id, quantity, price, label) VALUES (1, '3', 2.50, '7'), (2, '1', 10, NULL);
