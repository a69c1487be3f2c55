INSERT INTO account (owner, balance) VALUES ('alice', 100), ('bob', 100);
