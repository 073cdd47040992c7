INSERT INTO kinds VALUES ('draft'), ('active');
INSERT INTO documents VALUES (1, 'active', 'draft'), (2, 'archived', 'active'), (3, DEFAULT, NULL);
