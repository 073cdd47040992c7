CREATE TABLE readings (
    id int PRIMARY KEY,
    value numeric NOT NULL,
    unit text CHECK (unit <> '') NO INHERIT,
    CHECK (value >= 0) NO INHERIT
);
