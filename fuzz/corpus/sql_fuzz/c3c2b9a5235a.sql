SELECT d.name, s.total FROM dept d JOIN (SELECT dept_id, sum(salary) AS total FROM emp GROUP BY dept_id) s
  ON s.dept_id = d.id