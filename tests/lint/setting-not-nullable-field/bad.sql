-- revision: 0123456789ab
-- parents:
-- message: bad: setting-not-nullable-field

-- +upgrade
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- +downgrade
