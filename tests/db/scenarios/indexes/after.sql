CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, at timestamptz NOT NULL, payload jsonb);
CREATE INDEX events_kind_idx ON events (kind) WHERE kind <> 'noise';
CREATE INDEX events_at_idx ON events (at DESC NULLS LAST);
CREATE UNIQUE INDEX events_id_kind_idx ON events (id, kind);
CREATE INDEX payload_gin ON events USING gin (payload);
CREATE INDEX keep_me ON events (lower(kind));
