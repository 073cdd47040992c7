-- (CREATE TABLE would fold two identical unique constraints into one;
-- added to the table, each is kept.)
CREATE TABLE groups (
    entity_id int NOT NULL,
    CONSTRAINT groups_single_entity UNIQUE (entity_id),
    CONSTRAINT groups_positive CHECK (entity_id > 0)
);
ALTER TABLE groups ADD UNIQUE (entity_id);
ALTER TABLE groups ADD CHECK (entity_id > 0);
CREATE INDEX groups_entity_id_idx ON groups (entity_id);
CREATE INDEX groups_entity ON groups (entity_id);
