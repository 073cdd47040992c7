INSERT INTO tasks VALUES (1, 'pending'), (2, 'done'), (3, 'active');
