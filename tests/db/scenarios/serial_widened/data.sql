INSERT INTO events (label) VALUES ('a'), ('b');
