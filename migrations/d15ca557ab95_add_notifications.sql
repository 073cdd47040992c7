-- revision: d15ca557ab95
-- parents: acb34583ffde
-- message: add notifications
-- created: 2026-11-24 11:32:18Z

-- +upgrade
CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    message    varchar(500) NOT NULL,
    read       boolean DEFAULT false NOT NULL,
    created_at timestamptz DEFAULT now() NOT NULL
);

CREATE INDEX notifications_user_id_idx ON notifications (user_id) WHERE (not read);

-- +downgrade
-- WARNING: drops table notifications and all its data
DROP TABLE notifications;
