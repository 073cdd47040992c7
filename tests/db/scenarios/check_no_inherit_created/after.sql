CREATE TABLE readings (
    id int PRIMARY KEY,
    value numeric NOT NULL CHECK (value >= 0) NO INHERIT,
    unit text CHECK (unit <> '') NO INHERIT
);
