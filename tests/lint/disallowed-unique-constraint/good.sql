-- revision: 0123456789ab
-- parents:
-- message: good: disallowed-unique-constraint

-- +upgrade
-- +step transaction: none
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);
-- +step
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;

-- +downgrade
