SELECT count(*) = 2 AND max(id) = 2 FROM events;
SELECT label = 'b' FROM events WHERE id = 2;
