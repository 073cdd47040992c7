SELECT count(*) = 2 FROM lines;
SELECT amount = 2.50 AND memo = 'first' FROM lines WHERE id = 1;
