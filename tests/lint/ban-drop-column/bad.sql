-- revision: 0123456789ab
-- parents:
-- message: bad: ban-drop-column

-- +upgrade
ALTER TABLE users DROP COLUMN nickname;

-- +downgrade
