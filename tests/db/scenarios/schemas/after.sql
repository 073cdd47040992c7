CREATE SCHEMA billing;
CREATE TYPE billing.currency AS ENUM ('eur', 'usd');
CREATE TABLE users (id int PRIMARY KEY);
CREATE TABLE billing.invoices (id int PRIMARY KEY, user_id int NOT NULL REFERENCES users,
  currency billing.currency NOT NULL DEFAULT 'eur');
