INSERT INTO people VALUES (1, 'sad', '{ok,happy}'), (2, 'happy', NULL);
