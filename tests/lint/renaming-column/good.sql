-- revision: 0123456789ab
-- parents:
-- message: good: renaming-column

-- +upgrade
-- +step
ALTER TABLE users ADD COLUMN full_name text;
-- +step
UPDATE users SET full_name = name WHERE id BETWEEN 1 AND 10000;

-- +downgrade
