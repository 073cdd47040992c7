-- Renaming keeps the names of constraints and indexes.
CREATE TABLE persons (id int CONSTRAINT people_pkey PRIMARY KEY, full_name text NOT NULL);
CREATE INDEX people_name_idx ON persons (full_name);
CREATE TABLE pets (id int PRIMARY KEY, owner_id int CONSTRAINT pets_owner_id_fkey REFERENCES persons);
