INSERT INTO tags (name) VALUES ('sql'), ('c');
INSERT INTO posts VALUES (1, 'sql'), (2, 'c'), (3, NULL);
