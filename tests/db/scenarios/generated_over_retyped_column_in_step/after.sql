CREATE TABLE lines (
    id int PRIMARY KEY,
    quantity int NOT NULL,
    price numeric(10,2) NOT NULL,
    label int,
    total numeric GENERATED ALWAYS AS (quantity * price) STORED
);
CREATE INDEX lines_total_idx ON lines (total);
