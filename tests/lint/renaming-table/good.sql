-- revision: 0123456789ab
-- parents:
-- message: good: renaming-table

-- +upgrade
-- A new table is not yet used by any running version.
CREATE TABLE accounts (id bigint PRIMARY KEY);
ALTER TABLE accounts RENAME TO customer_accounts;

-- +downgrade
