-- revision: 0123456789ab
-- parents:
-- message: good: invalid-ignore

-- +upgrade
-- c7gen-lint: ignore ban-drop-table (no code reads it since release 4.2)
DROP TABLE legacy_sessions;

-- +downgrade
