-- revision: 0123456789ab
-- parents:
-- message: good: prefer-bigint-over-int

-- +upgrade
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);

-- +downgrade
