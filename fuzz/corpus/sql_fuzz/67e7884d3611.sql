INSERT INTO big SELECT a.d * 1000 + b.d * 100 + c.d * 10 + e.d, e.d, 'row'
FROM digits a, digits b, digits c, digits e WHERE a.d >= 5