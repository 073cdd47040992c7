SELECT total = 7.50 AND label = 7 FROM lines WHERE id = 1;
SELECT total = 10 AND label IS NULL FROM lines WHERE id = 2;
