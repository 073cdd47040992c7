-- revision: 0123456789ab
-- parents:
-- message: good: constraint-missing-not-valid

-- +upgrade
-- +step
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
-- +step
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;

-- +downgrade
