INSERT INTO v VALUES (1, 1, 10, 'apple'), (2, NULL, 20, 'Banana'), (3, 3, NULL, 'cherry'),
  (4, 4, 40, NULL), (5, 5, 50, 'a_b%c')