CREATE TYPE status AS ENUM ('draft', 'active', 'archived');
CREATE TABLE kinds (status status PRIMARY KEY);
CREATE TABLE documents (
    id int PRIMARY KEY,
    status status NOT NULL DEFAULT 'draft',
    kind status REFERENCES kinds,
    CHECK (status <> 'archived' OR id > 0),
    CHECK (status <> 'draft' OR kind IS NOT NULL OR id > 2)
);
CREATE INDEX documents_id_idx ON documents (id) WHERE status <> 'archived';
CREATE INDEX documents_expr_idx ON documents ((status = 'active'));
