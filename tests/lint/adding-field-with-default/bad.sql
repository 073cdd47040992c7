-- revision: 0123456789ab
-- parents:
-- message: bad: adding-field-with-default

-- +upgrade
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();

-- +downgrade
