-- revision: 0123456789ab
-- parents:
-- message: good: foreign-key-without-index

-- +upgrade
CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id)
);
CREATE INDEX payments_order_id_idx ON payments (order_id);

-- +downgrade
