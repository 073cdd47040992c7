SELECT count(*) = 2 FROM groups;
