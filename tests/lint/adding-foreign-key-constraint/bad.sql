-- revision: 0123456789ab
-- parents:
-- message: bad: adding-foreign-key-constraint

-- +upgrade
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users (id);

-- +downgrade
