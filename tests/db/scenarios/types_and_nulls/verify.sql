SELECT id = 1 AND code = 'abc' AND qty = 5 AND amount = 42 FROM items;
SELECT created = '2024-01-02'::date FROM items;
