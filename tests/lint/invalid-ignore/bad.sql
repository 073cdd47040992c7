-- revision: 0123456789ab
-- parents:
-- message: bad: invalid-ignore

-- +upgrade
-- c7gen-lint: ignore ban-drop-table
DROP TABLE legacy_sessions;
-- c7gen-lint: ignore no-such-rule (typo)
SELECT 1;

-- +downgrade
