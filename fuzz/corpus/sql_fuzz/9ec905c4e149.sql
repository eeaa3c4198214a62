SELECT extract(year FROM DATE '2024-03-15'), extract(month FROM DATE '2024-03-15'),
  extract(day FROM DATE '2024-03-15'), date_part('hour', TIMESTAMP '2024-03-15 10:20:30')