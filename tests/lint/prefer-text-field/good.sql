-- revision: 0123456789ab
-- parents:
-- message: good: prefer-text-field

-- +upgrade
ALTER TABLE users ADD COLUMN nickname text CHECK (length(nickname) <= 40);

-- +downgrade
