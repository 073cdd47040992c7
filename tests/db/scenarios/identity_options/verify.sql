SELECT count(*) = 2 FROM tickets;
SELECT title = 'b' FROM tickets WHERE queue = 2;
