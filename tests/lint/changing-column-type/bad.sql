-- revision: 0123456789ab
-- parents:
-- message: bad: changing-column-type

-- +upgrade
ALTER TABLE users ALTER COLUMN age TYPE bigint;

-- +downgrade
