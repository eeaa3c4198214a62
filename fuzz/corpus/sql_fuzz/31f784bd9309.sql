INSERT INTO t SELECT n, n % 3
FROM (SELECT a.d * 1000 + b.d * 100 + c.d * 10 + e.d + 1 AS n
      FROM digits a, digits b, digits c, digits e WHERE a.d < 3) AS numbers