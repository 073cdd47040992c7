#!/usr/bin/env python3
"""genschema.py - a generated schema for benchmarks.

    tools/genschema.py N OUTDIR [--edit]

Writes OUTDIR/models/*.c7 with N tables shaped like application tables
(about 15 columns, 2 indexes and 1.5 foreign keys each, enums, checks and
defaults) and OUTDIR/sqlalchemy_models.py describing the same schema for
Alembic.  --edit adds one column to one table (the "small edit" a
developer makes between two autogenerates).
"""
import os
import sys

ENUMS = {
    "status": ["pending", "active", "suspended", "closed"],
    "priority": ["low", "normal", "high", "urgent"],
    "region": ["eu", "us", "apac", "latam", "mea"],
}


def table_name(i):
    return "t%05d" % i


def columns(i):
    """(name, c7 type, attributes, sqlalchemy column) for table i."""
    enum = list(ENUMS)[i % len(ENUMS)]
    cols = [
        ("id", "bigint", "generated always as identity primary key",
         "Column('id', BigInteger, Identity(always=True), primary_key=True)"),
        ("name", "text", "not null", "Column('name', Text, nullable=False)"),
        ("code", "varchar(32)", "not null" + (" unique" if i % 3 == 0 else ""),
         "Column('code', String(32), nullable=False%s)" % (", unique=True" if i % 3 == 0 else "")),
        ("kind", enum, "not null default '%s'" % ENUMS[enum][0],
         "Column('kind', Enum(%s, name='%s', create_type=False), nullable=False, server_default='%s')"
         % (", ".join(repr(l) for l in ENUMS[enum]), enum, ENUMS[enum][0])),
        ("amount", "numeric(12,2)", "not null default 0 check (amount >= 0)",
         "Column('amount', Numeric(12, 2), CheckConstraint('amount >= 0'), nullable=False, server_default='0')"),
        ("quantity", "integer", "not null default 1",
         "Column('quantity', Integer, nullable=False, server_default='1')"),
        ("ratio", "double precision", "", "Column('ratio', Float(53))"),
        ("is_active", "boolean", "not null default true",
         "Column('is_active', Boolean, nullable=False, server_default=text('true'))"),
        ("tags", "text[]", "not null default '{}'",
         "Column('tags', ARRAY(Text), nullable=False, server_default='{}')"),
        ("payload", "jsonb", "not null default '{}'::jsonb",
         "Column('payload', JSONB, nullable=False, server_default=text(\"'{}'::jsonb\"))"),
        ("notes", "text", "", "Column('notes', Text)"),
        ("external_id", "uuid", "", "Column('external_id', UUID)"),
        ("created_at", "timestamptz", "not null default now()",
         "Column('created_at', DateTime(timezone=True), nullable=False, server_default=func.now())"),
        ("updated_at", "timestamptz", "", "Column('updated_at', DateTime(timezone=True))"),
    ]
    # 1.5 foreign keys per table on average, to earlier tables.
    if i > 0:
        cols.append(("parent_id", "bigint", "references %s on delete cascade" % table_name(i // 2),
                     "Column('parent_id', BigInteger, ForeignKey('%s.id', ondelete='CASCADE'))" % table_name(i // 2)))
    if i > 1 and i % 2 == 0:
        cols.append(("owner_id", "bigint", "not null references %s" % table_name(i - 1),
                     "Column('owner_id', BigInteger, ForeignKey('%s.id'), nullable=False)" % table_name(i - 1)))
    return cols


def write(n, out, edit):
    models = os.path.join(out, "models")
    os.makedirs(models, exist_ok=True)
    with open(os.path.join(models, "enums.c7"), "w") as f:
        for name, labels in ENUMS.items():
            f.write("enum %s { %s }\n" % (name, ", ".join(labels)))
    per_file = 100
    py = ["from sqlalchemy import *",
          "from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID",
          "metadata = MetaData()"]
    for start in range(0, n, per_file):
        with open(os.path.join(models, "tables_%05d.c7" % start), "w") as f:
            for i in range(start, min(n, start + per_file)):
                t = table_name(i)
                cols = columns(i)
                if edit and i == n // 2:
                    cols.append(("edited", "text", "", "Column('edited', Text)"))
                width = max(len(c[0]) for c in cols)
                f.write("table %s {\n" % t)
                for name, typ, attrs, _ in cols:
                    f.write("  %-*s %s %s\n" % (width, name, typ, attrs))
                f.write("  index (created_at desc)\n")
                f.write("  index (kind) where (is_active)\n")
                f.write("}\n\n")
                py.append("Table('%s', metadata,\n    %s,\n    Index('%s_created_at_idx', text('created_at DESC')),\n"
                          "    Index('%s_kind_idx', 'kind', postgresql_where=text('is_active')))"
                          % (t, ",\n    ".join(c[3] for c in cols), t, t))
    with open(os.path.join(out, "sqlalchemy_models.py"), "w") as f:
        f.write("\n".join(py) + "\n")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    write(int(sys.argv[1]), sys.argv[2], "--edit" in sys.argv[3:])
