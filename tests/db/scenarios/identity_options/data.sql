INSERT INTO tickets (title, queue) VALUES ('a', 1), ('b', 2);
