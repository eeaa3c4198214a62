INSERT INTO many SELECT a.d * 1000 + b.d * 100 + c.d * 10 + e.d + 1,
  ((a.d * 1000 + b.d * 100 + c.d * 10 + e.d + 1) * 7919) % 1000
FROM digits a, digits b, digits c, digits e