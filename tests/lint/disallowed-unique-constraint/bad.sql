-- revision: 0123456789ab
-- parents:
-- message: bad: disallowed-unique-constraint

-- +upgrade
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);

-- +downgrade
