-- revision: 0123456789ab
-- parents:
-- message: bad: require-concurrent-index-creation

-- +upgrade
CREATE INDEX orders_created_at_idx ON orders (created_at);

-- +downgrade
