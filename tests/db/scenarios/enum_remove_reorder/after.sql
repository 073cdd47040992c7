CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');
CREATE TABLE people (id int PRIMARY KEY, mood mood NOT NULL DEFAULT 'happy', history mood[]);
