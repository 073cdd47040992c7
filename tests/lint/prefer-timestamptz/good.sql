-- revision: 0123456789ab
-- parents:
-- message: good: prefer-timestamptz

-- +upgrade
ALTER TABLE users ADD COLUMN last_login timestamptz;

-- +downgrade
