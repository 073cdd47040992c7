CREATE TABLE users (
    id int PRIMARY KEY,
    email text NOT NULL,
    code bigint NOT NULL,
    CHECK (char_length(email) > 3)
);
CREATE UNIQUE INDEX users_lower_idx ON users (lower(email));
CREATE INDEX users_expr_idx ON users ((code + 1));
