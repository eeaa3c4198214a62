INSERT INTO sales VALUES
  (1, 'north', 'apple', 10, 1.5, '2024-01-01'),
  (2, 'north', 'pear', 5, 2.0, '2024-01-02'),
  (3, 'south', 'apple', 7, 1.5, '2024-01-01'),
  (4, 'south', 'apple', NULL, 1.25, '2024-01-03'),
  (5, 'east', 'plum', 3, NULL, '2024-01-02'),
  (6, NULL, 'pear', 1, 2.0, NULL)