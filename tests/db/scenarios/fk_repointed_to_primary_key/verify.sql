SELECT count(*) = 2 FROM posts JOIN tags ON tags.name = posts.tag;
SELECT count(*) = 3 FROM posts;
