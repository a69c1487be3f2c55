WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
INSERT INTO account (owner, balance) SELECT 'owner-' || i, 1000 FROM n;
