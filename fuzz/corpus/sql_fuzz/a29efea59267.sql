INSERT INTO n VALUES (1, 'a', 30, 'x'), (2, 'b', NULL, 'y'), (3, 'a', 10, 'z'),
  (4, 'c', 20, NULL), (5, 'b', 10, 'w'), (6, 'a', NULL, 'v')