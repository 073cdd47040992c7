SELECT status = 'finished' FROM tasks WHERE id = 2;
SELECT status = 'pending' FROM tasks WHERE id = 1;
