SELECT name, (SELECT max(amount) FROM o WHERE o.cust_id = c.id) FROM c
WHERE EXISTS (SELECT 1 FROM o WHERE o.cust_id = c.id AND o.amount < 60)