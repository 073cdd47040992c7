-- revision: 0123456789ab
-- parents:
-- message: bad: renaming-column

-- +upgrade
ALTER TABLE users RENAME COLUMN name TO full_name;

-- +downgrade
