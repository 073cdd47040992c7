CREATE TYPE "Status" AS ENUM ('In Progress', 'done', 'weird''quote');
CREATE TABLE "order" (
  id int PRIMARY KEY,
  "user" text NOT NULL,
  "group" text,
  "from" text,
  "Select" text DEFAULT 'it''s',
  status "Status" NOT NULL DEFAULT 'In Progress',
  "check" int CHECK ("check" > 0)
);
COMMENT ON TABLE "order" IS 'It''s the "order" table';
CREATE TABLE "UserAccounts" (
  "ID" int PRIMARY KEY,
  order_id int REFERENCES "order",
  "Order" int,
  user_name text,
  UNIQUE ("Order", order_id)
);
CREATE INDEX ON "UserAccounts" (lower(user_name));
COMMENT ON COLUMN "UserAccounts".user_name IS 'shown as: ''name''';
