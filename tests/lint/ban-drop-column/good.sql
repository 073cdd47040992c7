-- revision: 0123456789ab
-- parents:
-- message: good: ban-drop-column

-- +upgrade
-- Released after no running version reads the column any more.
-- c7gen-lint: ignore ban-drop-column (unused since release 4.2)
ALTER TABLE users DROP COLUMN nickname;

-- +downgrade
