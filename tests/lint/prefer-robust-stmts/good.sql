-- revision: 0123456789ab
-- parents:
-- message: good: prefer-robust-stmts

-- +upgrade
-- +step transaction: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);

-- +downgrade
