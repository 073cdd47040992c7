SELECT count(*) = 3 FROM stores JOIN regions ON regions.code = stores.region_code;
SELECT name = 'North' FROM regions WHERE code = 'n';
