SELECT grp, count(*) FILTER (WHERE id < 10), count(*), count(*) FILTER (WHERE id >= 2998)
FROM t GROUP BY grp