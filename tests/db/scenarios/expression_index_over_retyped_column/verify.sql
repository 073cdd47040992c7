SELECT email = 'Ann@example.com' AND code = 7 FROM users WHERE id = 1;
SELECT count(*) = 2 FROM users;
