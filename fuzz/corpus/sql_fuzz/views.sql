CREATE OR REPLACE VIEW app.v (x, y) AS SELECT a, b FROM t WHERE d; DROP VIEW IF EXISTS app.v, w CASCADE; SELECT e.key, e.value FROM t, jsonb_each(t.l) e, json_array_elements_text(t.l -> 'k') AS u(v)
