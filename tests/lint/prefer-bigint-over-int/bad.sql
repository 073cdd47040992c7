-- revision: 0123456789ab
-- parents:
-- message: bad: prefer-bigint-over-int

-- +upgrade
CREATE TABLE events (id serial PRIMARY KEY, name text NOT NULL);

-- +downgrade
