SELECT t.table_name, count(c.column_name) FROM system.tables t
JOIN system.columns c ON c.namespace_id = t.namespace_id AND c.table_name = t.table_name
WHERE t.namespace_id = 'app' GROUP BY t.table_name