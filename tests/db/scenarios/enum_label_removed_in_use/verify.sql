SELECT status = 'archived' AND kind = 'active' FROM documents WHERE id = 2;
SELECT count(*) = 3 FROM documents;
SELECT status = 'draft' FROM documents WHERE id = 3;
