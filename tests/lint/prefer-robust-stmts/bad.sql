-- revision: 0123456789ab
-- parents:
-- message: bad: prefer-robust-stmts

-- +upgrade
-- +step transaction: none
CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);

-- +downgrade
