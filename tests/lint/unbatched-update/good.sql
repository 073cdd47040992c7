-- revision: 0123456789ab
-- parents:
-- message: good: unbatched-update

-- +upgrade
-- +step
UPDATE users SET plan = 'free' WHERE id BETWEEN 1 AND 10000 AND plan IS NULL;
-- +step
UPDATE users SET plan = 'free' WHERE id BETWEEN 10001 AND 20000 AND plan IS NULL;

-- +downgrade
