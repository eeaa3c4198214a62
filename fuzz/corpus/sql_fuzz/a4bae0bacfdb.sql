INSERT INTO acct VALUES (1, 'ann', 100, NULL), (2, 'bob', 200, 'vip'), (3, 'cy', 300, NULL),
  (4, 'dee', 400, 'vip'), (5, 'eve', 500, NULL)