-- revision: 0123456789ab
-- parents:
-- message: good: changing-column-type

-- +upgrade
-- varchar to text is binary-coercible: no rewrite.
ALTER TABLE users ALTER COLUMN bio TYPE text;

-- +downgrade
