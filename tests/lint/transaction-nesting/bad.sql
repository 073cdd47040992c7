-- revision: 0123456789ab
-- parents:
-- message: bad: transaction-nesting

-- +upgrade
BEGIN;
UPDATE settings SET value = 'on' WHERE key = 'beta';
COMMIT;

-- +downgrade
