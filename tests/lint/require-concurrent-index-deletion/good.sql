-- revision: 0123456789ab
-- parents:
-- message: good: require-concurrent-index-deletion

-- +upgrade
-- +step transaction: none
DROP INDEX CONCURRENTLY IF EXISTS orders_created_at_idx;

-- +downgrade
