-- revision: acb34583ffde
-- parents:
-- message: initial schema
-- created: 2026-11-24 11:32:13Z

-- +upgrade
CREATE TYPE chain_type AS ENUM ('ethereum', 'solana', 'bitcoin', 'polygon');

CREATE TYPE run_status AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

CREATE TYPE transaction_direction AS ENUM ('inbound', 'outbound');

CREATE TABLE users (
    id           uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    email        varchar(320) NOT NULL UNIQUE CHECK (char_length(email) >= 3),
    display_name text,
    created_at   timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE api_keys (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       text NOT NULL,
    prefix     char(8) NOT NULL UNIQUE,
    key_hash   bytea NOT NULL,
    scopes     text[] DEFAULT '{}' NOT NULL,
    created_at timestamptz DEFAULT now() NOT NULL,
    revoked_at timestamptz,
    UNIQUE (user_id, name)
);

CREATE TABLE crews (
    id         uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    owner_id   uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    name       text NOT NULL,
    settings   jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamptz DEFAULT now() NOT NULL,
    UNIQUE (owner_id, name)
);

CREATE TABLE agents (
    id          uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    crew_id     uuid NOT NULL REFERENCES crews (id) ON DELETE CASCADE,
    name        text NOT NULL,
    model       text DEFAULT 'default' NOT NULL,
    temperature numeric(3,2) DEFAULT 0.7 NOT NULL CHECK (temperature between 0 and 2),
    tools       text[] DEFAULT '{}' NOT NULL,
    created_at  timestamptz DEFAULT now() NOT NULL,
    UNIQUE (crew_id, name)
);

CREATE TABLE runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent_id    uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    status      run_status DEFAULT 'queued' NOT NULL,
    input       jsonb DEFAULT '{}'::jsonb NOT NULL,
    output      jsonb,
    started_at  timestamptz,
    finished_at timestamptz,
    created_at  timestamptz DEFAULT now() NOT NULL,
    CHECK (finished_at is null or started_at is not null)
);

CREATE TABLE run_steps (
    run_id      bigint REFERENCES runs (id) ON DELETE CASCADE,
    "position"  integer CHECK (position >= 0),
    kind        text NOT NULL,
    payload     jsonb DEFAULT '{}'::jsonb NOT NULL,
    tokens_used integer DEFAULT 0 NOT NULL,
    PRIMARY KEY (run_id, "position")
);

CREATE TABLE wallets (
    id         uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    crew_id    uuid NOT NULL REFERENCES crews (id) ON DELETE CASCADE,
    chain      chain_type NOT NULL,
    address    text NOT NULL,
    label      text,
    created_at timestamptz DEFAULT now() NOT NULL,
    UNIQUE (chain, address)
);

CREATE TABLE transactions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wallet_id  uuid NOT NULL REFERENCES wallets (id) ON DELETE RESTRICT,
    run_id     bigint REFERENCES runs (id) ON DELETE SET NULL,
    direction  transaction_direction NOT NULL,
    amount     numeric(38,18) NOT NULL CHECK (amount > 0),
    tx_hash    text NOT NULL,
    confirmed  boolean DEFAULT false NOT NULL,
    created_at timestamptz DEFAULT now() NOT NULL,
    UNIQUE (wallet_id, tx_hash)
);

CREATE INDEX api_keys_user_id_idx ON api_keys (user_id) WHERE (revoked_at is null);

CREATE INDEX runs_agent_id_created_at_idx ON runs (agent_id, created_at DESC);

CREATE INDEX runs_status_idx ON runs (status) WHERE (status in ('queued', 'running'));

CREATE INDEX transactions_run_id_idx ON transactions (run_id) WHERE (run_id is not null);

COMMENT ON TABLE api_keys IS 'Hashed API credentials; the clear key is shown once';

COMMENT ON TABLE run_steps IS 'One tool call or model turn of a run';

COMMENT ON TABLE users IS 'People who sign in';

-- +downgrade
-- WARNING: drops table transactions and all its data
DROP TABLE transactions;

-- WARNING: drops table wallets and all its data
DROP TABLE wallets;

-- WARNING: drops table run_steps and all its data
DROP TABLE run_steps;

-- WARNING: drops table runs and all its data
DROP TABLE runs;

-- WARNING: drops table agents and all its data
DROP TABLE agents;

-- WARNING: drops table crews and all its data
DROP TABLE crews;

-- WARNING: drops table api_keys and all its data
DROP TABLE api_keys;

-- WARNING: drops table users and all its data
DROP TABLE users;

DROP TYPE transaction_direction;

DROP TYPE run_status;

DROP TYPE chain_type;
