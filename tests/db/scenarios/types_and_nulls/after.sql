CREATE TABLE items (
  id bigint PRIMARY KEY,
  code varchar(50),
  qty int NOT NULL DEFAULT 1,
  price numeric(12,2),
  label text DEFAULT 'unnamed',
  amount integer,
  created timestamptz DEFAULT now()
);
