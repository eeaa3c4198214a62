INSERT INTO emp VALUES (1, 'ann', 1, NULL, 300), (2, 'bob', 1, 1, 200), (3, 'cy', 2, 1, 150),
  (4, 'dee', NULL, 2, 100), (5, 'eve', 2, 3, 120)