SELECT count(*) = 2 FROM persons;
SELECT full_name = 'Ada' FROM persons WHERE id = 1;
SELECT owner_id = 1 FROM pets WHERE id = 10;
