-- revision: 0123456789ab
-- parents:
-- message: bad: ban-drop-table

-- +upgrade
DROP TABLE legacy_sessions;

-- +downgrade
