SELECT count(*) = 2 FROM accounts WHERE NOT is_verified AND score = 0 AND tags = '{}';
