-- revision: 0123456789ab
-- parents:
-- message: bad: prefer-text-field

-- +upgrade
ALTER TABLE users ADD COLUMN nickname varchar(40);

-- +downgrade
