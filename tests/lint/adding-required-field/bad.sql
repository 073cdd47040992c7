-- revision: 0123456789ab
-- parents:
-- message: bad: adding-required-field

-- +upgrade
ALTER TABLE users ADD COLUMN plan text NOT NULL;

-- +downgrade
