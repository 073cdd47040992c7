-- revision: 0123456789ab
-- parents:
-- message: good: transaction-nesting

-- +upgrade
UPDATE settings SET value = 'on' WHERE key = 'beta';

-- +downgrade
