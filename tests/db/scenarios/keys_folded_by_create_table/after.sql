CREATE TABLE territories (id text PRIMARY KEY, region_id smallint NOT NULL);
