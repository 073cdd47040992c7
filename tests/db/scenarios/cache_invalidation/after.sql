CREATE TABLE ledger (id int PRIMARY KEY, amount numeric(10,2) NOT NULL DEFAULT 0 CHECK (amount >= 0));
CREATE INDEX ledger_expr_idx ON ledger ((amount + 1));
