CREATE SCHEMA billing;

CREATE TYPE user_role AS ENUM ('admin', 'member', 'guest');

CREATE TABLE crews (
    id   uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE billing.invoices (
    crew_id   uuid REFERENCES crews (id) ON DELETE RESTRICT,
    number    integer,
    reference text NOT NULL,
    amount    numeric(12,2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (crew_id, number),
    CONSTRAINT invoices_number_positive CHECK (number > 0)
);

CREATE TABLE users (
    id           uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    email        varchar(320) NOT NULL UNIQUE CHECK (char_length(email) >= 3),
    display_name text,
    role         user_role DEFAULT 'member' NOT NULL,
    is_verified  boolean DEFAULT false NOT NULL,
    created_at   timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE notifications (
    id      uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message varchar(500) NOT NULL,
    read    boolean DEFAULT false NOT NULL
);

CREATE UNIQUE INDEX invoices_crew_id_lower_idx ON billing.invoices (crew_id, lower(reference));

CREATE INDEX notifications_user_id_idx ON notifications (user_id) WHERE (not read);

CREATE INDEX users_created_at_idx ON users (created_at DESC);

COMMENT ON TABLE users IS 'Registered accounts';
