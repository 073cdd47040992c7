CREATE TABLE tags (name text PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, tag text REFERENCES tags (name));
