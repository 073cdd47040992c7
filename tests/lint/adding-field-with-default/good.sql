-- revision: 0123456789ab
-- parents:
-- message: good: adding-field-with-default

-- +upgrade
-- A constant default is stored once in the catalog: no rewrite.
ALTER TABLE users ADD COLUMN active boolean DEFAULT true;
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT now();

-- +downgrade
