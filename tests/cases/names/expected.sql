CREATE TABLE aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (
    bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb integer UNIQUE,
    c                                              integer CHECK (c > 0),
    UNIQUE (c, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb),
    CONSTRAINT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_c_check1 CHECK (c > 1),
    CHECK (c > 2 and bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb > 0)
);

CREATE TABLE shapes (
    a circle,
    b circle,
    EXCLUDE USING gist (a with &&, b with &&),
    EXCLUDE USING gist (a with &&),
    CONSTRAINT shapes_a_excl1 EXCLUDE USING gist (a with &&) WHERE (b is not null),
    EXCLUDE USING gist (circle(point(0, 0), 1) with &&)
);

CREATE TABLE t (
    a       integer,
    b       integer,
    "Mixed" text,
    CHECK (true),
    CONSTRAINT t_check1 CHECK (false),
    CONSTRAINT t_check2 CHECK (a > b)
);

CREATE TABLE "ééééééééééééééééééééééééééééééé" (
    x integer PRIMARY KEY
);

CREATE INDEX aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_c_idx1 ON aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (c DESC);

CREATE INDEX aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_c_idx ON aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (c);

CREATE INDEX named_by_hand ON t USING hash (a);

CREATE INDEX t_a_a1_idx ON t (a, a);

CREATE INDEX t_b_idx ON t (b NULLS FIRST);

CREATE INDEX t_b_idx1 ON t (b DESC NULLS LAST);

CREATE INDEX t_expr_lower_a_upper_lower1_idx ON t ((a + b), lower("Mixed"), (a::text), upper("Mixed"), lower("Mixed"));
