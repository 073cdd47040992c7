CREATE TYPE status AS ENUM ('draft', 'pending', 'active', 'finished', 'archived');
CREATE TABLE tasks (id int PRIMARY KEY, status status NOT NULL DEFAULT 'pending');
