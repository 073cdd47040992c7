-- What a DBA would write by hand for the same schema.
CREATE SCHEMA billing;
CREATE TYPE user_role AS ENUM ('admin', 'member', 'guest');
CREATE TABLE users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email character varying(320) NOT NULL,
    display_name text,
    role user_role DEFAULT 'member'::user_role NOT NULL,
    is_verified boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (email),
    CHECK (char_length(email) >= 3)
);
CREATE INDEX ON users (created_at DESC);
COMMENT ON TABLE users IS 'Registered accounts';
CREATE TABLE notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    message varchar(500) NOT NULL,
    read boolean NOT NULL DEFAULT false
);
CREATE INDEX ON notifications (user_id) WHERE NOT read;
CREATE TABLE crews (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
CREATE TABLE billing.invoices (
    crew_id uuid NOT NULL REFERENCES public.crews (id) ON DELETE RESTRICT,
    number integer NOT NULL,
    reference text NOT NULL,
    amount numeric(12,2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (crew_id, number),
    CONSTRAINT invoices_number_positive CHECK (number > 0)
);
CREATE UNIQUE INDEX ON billing.invoices (crew_id, lower(reference));
