CREATE TABLE everything (
  a smallint, b integer, c bigint, d int, e int2, f int4, g int8,
  h real, i double precision, j float4, k float8,
  l numeric, m numeric(10), n numeric(12,2), o decimal(5,1),
  p boolean, q bool, r text, s varchar, t varchar(40), u character varying(41),
  v char(3), w character(4), x uuid, y json, z jsonb, aa bytea, ab date,
  ac time, ad time(3), ae timetz(2), af timestamp, ag timestamp(0),
  ah timestamptz, ai timestamptz(6), aj timestamp with time zone,
  ak timestamp(2) without time zone, al time without time zone, am interval,
  an inet, ao cidr, ap macaddr, aq money, ar tsvector, as_ xml,
  at text[], au integer[][], av varchar(10)[], aw char, ax float
);
CREATE TABLE serials (a serial PRIMARY KEY, b bigserial, c smallserial);

create table intervals (
  a interval,
  b interval(1),
  c interval second,
  d interval second(1),
  e interval day to second(4),
  f interval year to month array
);
