-- revision: 0123456789ab
-- parents:
-- message: bad: constraint-missing-not-valid

-- +upgrade
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);

-- +downgrade
