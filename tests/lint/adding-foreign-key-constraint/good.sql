-- revision: 0123456789ab
-- parents:
-- message: good: adding-foreign-key-constraint

-- +upgrade
-- +step
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
-- +step
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;

-- +downgrade
