-- revision: 0123456789ab
-- parents:
-- message: good: require-concurrent-index-creation

-- +upgrade
-- +step transaction: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at);

-- +downgrade
