-- revision: cc5a82f29e9e
-- parents: d15ca557ab95
-- message: add is_verified to users
-- created: 2026-11-24 11:32:19Z

-- +upgrade
ALTER TABLE users ADD COLUMN is_verified boolean DEFAULT false NOT NULL;

-- +downgrade
-- WARNING: drops column users.is_verified and its data
ALTER TABLE users DROP COLUMN is_verified;
