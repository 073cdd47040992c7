CREATE TABLE regions (
    country text NOT NULL DEFAULT 'se',
    code text NOT NULL UNIQUE,
    name text NOT NULL,
    PRIMARY KEY (country, code)
);
CREATE TABLE stores (
    id int PRIMARY KEY,
    region_code text NOT NULL REFERENCES regions (code) ON DELETE CASCADE
);
