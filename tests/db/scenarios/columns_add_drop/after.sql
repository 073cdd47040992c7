CREATE TABLE accounts (
  id int PRIMARY KEY,
  is_verified boolean NOT NULL DEFAULT false,
  score integer NOT NULL DEFAULT 0 CHECK (score >= 0),
  nickname varchar(30) UNIQUE,
  tags text[] NOT NULL DEFAULT '{}'
);
