-- catalog.sql: a canonical text dump of every user schema in the current
-- database, for exact comparison of two databases.  Independent of c7gen's
-- own introspector on purpose.  Columns are listed by name, not position.
\pset footer off
\pset tuples_only on
\pset format unaligned
\pset fieldsep ' | '

-- With -v inscope=1 only what c7gen manages is listed: no partitions or
-- inheritance children, no extension members, no sequences but those
-- owned by a column (serial, identity).
\if :{?inscope}
\set relfilter 'AND NOT c.relispartition AND c.relkind <> ''p'' AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = c.oid AND e.deptype = ''e'') AND (c.relkind <> ''S'' OR EXISTS (SELECT 1 FROM pg_depend o WHERE o.objid = c.oid AND o.refobjsubid > 0 AND o.deptype IN (''a'', ''i'')))'
\set typefilter 'AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = t.oid AND e.deptype = ''e'')'
\else
\set relfilter ''
\set typefilter ''
\endif

WITH s AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast_temp%'
),
rel AS (
  SELECT c.oid, s.nspname, c.relname, c.relkind FROM pg_class c JOIN s ON s.oid = c.relnamespace
  WHERE c.relname NOT LIKE 'c7gen\_%' :relfilter
)
SELECT * FROM (
  SELECT 'schema', nspname, '', '' FROM s
  UNION ALL
  SELECT 'enum', n.nspname || '.' || t.typname,
         string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder), ''
  FROM pg_type t JOIN s n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
  WHERE true :typefilter
  GROUP BY 2
  UNION ALL
  SELECT 'table', nspname || '.' || relname, coalesce(obj_description(oid, 'pg_class'), ''), ''
  FROM rel WHERE relkind = 'r'
  UNION ALL
  SELECT 'column', r.nspname || '.' || r.relname || '.' || a.attname,
         format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
           || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END
           || CASE a.attgenerated WHEN 's' THEN ' generated' ELSE '' END
           || CASE WHEN a.attcollation <> t.typcollation THEN ' collate ' || co.collname ELSE '' END,
         coalesce(col_description(r.oid, a.attnum), '')
  FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE r.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'constraint', r.nspname || '.' || r.relname || '.' || k.conname,
         pg_get_constraintdef(k.oid), ''
  FROM rel r JOIN pg_constraint k ON k.conrelid = r.oid
  WHERE r.relkind = 'r'
  UNION ALL
  SELECT 'index', r.nspname || '.' || i.relname, pg_get_indexdef(i.oid), ''
  FROM rel r JOIN pg_index x ON x.indrelid = r.oid JOIN pg_class i ON i.oid = x.indexrelid
  WHERE r.relkind = 'r'
  UNION ALL
  -- A serial's sequence counts as wide as its column when it is wider:
  -- the column bounds the values (old dumps give integer serials bigint
  -- sequences; c7gen treats that as `serial`, documented in design.md).
  SELECT 'sequence', r.nspname || '.' || r.relname,
         CASE WHEN w.typ IS NOT NULL THEN format_type(w.typ, NULL) || ' start ' || q.seqstart
                   || ' increment ' || q.seqincrement || ' min ' || q.seqmin
                   || ' max ' || least(q.seqmax, w.max)
              ELSE format_type(q.seqtypid, NULL) || ' start ' || q.seqstart
                   || ' increment ' || q.seqincrement || ' min ' || q.seqmin || ' max ' || q.seqmax END
           || ' cache ' || q.seqcache || CASE WHEN q.seqcycle THEN ' cycle' ELSE '' END, ''
  FROM rel r JOIN pg_sequence q ON q.seqrelid = r.oid
  LEFT JOIN LATERAL (
    SELECT a.atttypid AS typ,
           CASE a.atttypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647
                ELSE 9223372036854775807 END AS max
    FROM pg_depend o JOIN pg_attribute a ON a.attrelid = o.refobjid AND a.attnum = o.refobjsubid
    WHERE o.classid = 'pg_class'::regclass AND o.objid = r.oid AND o.deptype = 'a'
      AND o.refobjsubid > 0
      AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
      AND q.seqmax > CASE a.atttypid WHEN 'int2'::regtype THEN 32767
                          WHEN 'int4'::regtype THEN 2147483647 ELSE 9223372036854775807 END
  ) w ON true
  WHERE r.relkind = 'S'
) dump
ORDER BY 1, 2, 3;
