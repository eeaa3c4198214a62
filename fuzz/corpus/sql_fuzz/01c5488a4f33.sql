INSERT INTO typed VALUES
  (1, true, -32768, 9223372036854775807, 1.5, -0.25, 'héllo wörld', '\xdeadbeef', '1999-12-31',
   '2000-01-01 00:00:00.123456', '2024-06-01 12:30:00+00', '{"k":[1,2]}',
   '00000000-0000-0000-0000-000000000001'),
  (2, false, 32767, -9223372036854775808, -3.25, 1e100, '', '\x', '2038-01-19',
   '1970-01-01 00:00:00', '1969-12-31 23:59:59+00', 'null', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)