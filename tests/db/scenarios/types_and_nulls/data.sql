INSERT INTO items (id, code, qty, amount, created) VALUES (1, 'abc', 5, '42', '2024-01-02');
