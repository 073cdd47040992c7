CREATE TABLE parents (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE children (
  id int PRIMARY KEY,
  parent_id int REFERENCES parents ON DELETE SET NULL,
  parent_code text REFERENCES parents (code),
  qty int CHECK (qty >= 0),
  CONSTRAINT qty_limit CHECK (qty < 100),
  UNIQUE (qty, parent_id)
);
