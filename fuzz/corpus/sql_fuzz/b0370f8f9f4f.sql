INSERT INTO emp VALUES
  (1, 'ann', 'eng', 120, '2020-01-15', true),
  (2, 'bob', 'eng', 100, '2021-03-01', true),
  (3, 'cy', 'ops', 90, '2019-07-30', false),
  (4, 'dee', 'ops', NULL, '2022-11-11', true),
  (5, 'eve', NULL, 80, NULL, NULL)