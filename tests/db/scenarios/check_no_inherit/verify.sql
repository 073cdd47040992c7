SELECT value = 2.5 FROM readings WHERE id = 1;
