-- revision: 0123456789ab
-- parents:
-- message: good: adding-required-field

-- +upgrade
ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';

-- +downgrade
