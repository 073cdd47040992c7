-- +upgrade
-- +step transaction: none
DROP INDEX CONCURRENTLY IF EXISTS old_idx;

-- +step
CREATE TABLE audit (
    id       integer PRIMARY KEY,
    order_id bigint
);

ALTER TABLE orders ADD COLUMN created timestamptz DEFAULT now();

-- WARNING: sets NOT NULL on orders.id: fails if it holds NULLs
ALTER TABLE orders ADD CONSTRAINT id_c7gen_not_null CHECK (id IS NOT NULL) NOT VALID;
-- +step
ALTER TABLE orders VALIDATE CONSTRAINT id_c7gen_not_null;
-- +step
ALTER TABLE orders ALTER COLUMN id SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT id_c7gen_not_null;

-- WARNING: sets NOT NULL on orders.user_id: fails if it holds NULLs
ALTER TABLE orders ADD CONSTRAINT user_id_c7gen_not_null CHECK (user_id IS NOT NULL) NOT VALID;
-- +step
ALTER TABLE orders VALIDATE CONSTRAINT user_id_c7gen_not_null;
-- +step
ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT user_id_c7gen_not_null;

ALTER TABLE orders ALTER COLUMN note TYPE varchar(40);

ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);

-- +step transaction: none
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_pkey ON orders (id);
-- +step
ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey;

ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status <> '') NOT VALID;
-- +step
ALTER TABLE orders VALIDATE CONSTRAINT orders_status_check;

-- +step transaction: none
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);
-- +step
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;

CREATE INDEX audit_order_id_idx ON audit (order_id);

-- +step transaction: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx_c7gen_new ON orders (status) WHERE (status <> 'x');
-- +step transaction: none
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
-- +step
ALTER INDEX IF EXISTS orders_status_idx_c7gen_new RENAME TO orders_status_idx;

-- +step transaction: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);

-- +step
ALTER TABLE audit ADD CONSTRAINT audit_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id);

ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
-- +step
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;

-- +downgrade
-- +step
ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;

ALTER TABLE audit DROP CONSTRAINT audit_order_id_fkey;

-- +step transaction: none
DROP INDEX CONCURRENTLY IF EXISTS orders_user_id_idx;

-- +step
ALTER TABLE users DROP CONSTRAINT users_email_key;

ALTER TABLE orders DROP CONSTRAINT orders_status_check;

ALTER TABLE orders DROP CONSTRAINT orders_pkey;

-- WARNING: changes the type of orders.total to numeric(10,2): fails or loses data if values do not fit
-- LOCK: rewrites table orders and its indexes (type of total) under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite
ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,2);

-- WARNING: changes the type of orders.note to character varying(20): fails or loses data if values do not fit
-- LOCK: rewrites table orders and its indexes (type of note) under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite
ALTER TABLE orders ALTER COLUMN note TYPE varchar(20);

ALTER TABLE orders ALTER COLUMN user_id DROP NOT NULL;

ALTER TABLE orders ALTER COLUMN id DROP NOT NULL;

-- WARNING: drops column orders.created and its data
ALTER TABLE orders DROP COLUMN created;

-- WARNING: drops table audit and all its data
DROP TABLE audit;

-- +step transaction: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx_c7gen_new ON orders (status);
-- +step transaction: none
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
-- +step
ALTER INDEX IF EXISTS orders_status_idx_c7gen_new RENAME TO orders_status_idx;

-- +step transaction: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS old_idx ON orders (note);
