INSERT INTO users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 100) g;
INSERT INTO orders (id, user_id, note, total, status)
SELECT g, 1 + g % 100, 'n' || g, g / 7.0, CASE WHEN g % 3 = 0 THEN 'x' ELSE 'open' END
FROM generate_series(1, 1000) g;
