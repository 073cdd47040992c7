-- revision: 0123456789ab
-- parents:
-- message: bad: ban-concurrent-index-creation-in-transaction

-- +upgrade
-- +step
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);

-- +downgrade
