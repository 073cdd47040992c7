-- revision: 0123456789ab
-- parents:
-- message: bad: require-concurrent-index-deletion

-- +upgrade
DROP INDEX orders_created_at_idx;

-- +downgrade
