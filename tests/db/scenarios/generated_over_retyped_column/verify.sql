SELECT total = 7.50 FROM lines WHERE id = 1;
SELECT total = 10 FROM lines WHERE id = 2;
