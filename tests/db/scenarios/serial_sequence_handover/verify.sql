SELECT nextval('a_id_seq') = 4;
SELECT nextval('b_id_seq') = 4;
SELECT pg_get_serial_sequence('b', 'id') = 'public.b_id_seq';
SELECT pg_get_serial_sequence('a', 'id') IS NULL;
SELECT format_type(seqtypid, NULL) = 'bigint' FROM pg_sequence WHERE seqrelid = 'a_id_seq'::regclass;
