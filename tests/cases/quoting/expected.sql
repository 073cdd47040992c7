CREATE TYPE "Status" AS ENUM ('In Progress', 'done', 'weird''quote');

CREATE TABLE "order" (
    id       integer PRIMARY KEY,
    "user"   text NOT NULL,
    "group"  text,
    "from"   text,
    "Select" text DEFAULT 'it''s',
    status   "Status" DEFAULT 'In Progress' NOT NULL,
    "check"  integer CHECK ("check" > 0)
);

CREATE TABLE "UserAccounts" (
    "ID"      integer PRIMARY KEY,
    order_id  integer REFERENCES "order" (id),
    "Order"   integer,
    user_name text,
    UNIQUE ("Order", order_id)
);

CREATE INDEX "UserAccounts_lower_idx" ON "UserAccounts" (lower(user_name));

COMMENT ON COLUMN "UserAccounts".user_name IS 'shown as: ''name''';

COMMENT ON TABLE "order" IS 'It''s the "order" table';
