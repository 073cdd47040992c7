CREATE TABLE lines (
    id int PRIMARY KEY,
    quantity bigint NOT NULL,
    price numeric(10,2) NOT NULL,
    total numeric GENERATED ALWAYS AS (quantity * price) STORED
);
COMMENT ON COLUMN lines.total IS 'quantity times price';
CREATE INDEX lines_total_idx ON lines (total);
