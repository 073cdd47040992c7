-- revision: 0123456789ab
-- parents:
-- message: good: setting-not-nullable-field

-- +upgrade
-- +step
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
-- +step
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
-- c7gen-lint: ignore setting-not-nullable-field (the validated check above spares the scan)
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_email_not_null;

-- +downgrade
