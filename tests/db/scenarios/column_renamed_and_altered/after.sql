-- Renaming keeps the name of the index.
CREATE TABLE lines (
    id int PRIMARY KEY,
    amount numeric(12,2) DEFAULT 1,
    memo varchar(200) NOT NULL
);
COMMENT ON COLUMN lines.amount IS 'amount of the line';
CREATE INDEX lines_total_idx ON lines (amount);
