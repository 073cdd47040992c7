-- revision: 0123456789ab
-- parents:
-- message: bad: renaming-table

-- +upgrade
ALTER TABLE users RENAME TO accounts;

-- +downgrade
