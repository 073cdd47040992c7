-- revision: 0123456789ab
-- parents:
-- message: bad: prefer-timestamptz

-- +upgrade
ALTER TABLE users ADD COLUMN last_login timestamp;

-- +downgrade
