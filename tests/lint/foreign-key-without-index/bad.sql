-- revision: 0123456789ab
-- parents:
-- message: bad: foreign-key-without-index

-- +upgrade
CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id)
);

-- +downgrade
