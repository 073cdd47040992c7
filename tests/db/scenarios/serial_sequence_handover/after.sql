CREATE SEQUENCE a_id_seq;
CREATE TABLE a (id integer PRIMARY KEY DEFAULT nextval('a_id_seq'::regclass), v text);
CREATE TABLE b (id bigserial PRIMARY KEY, v text);
