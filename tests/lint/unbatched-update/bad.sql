-- revision: 0123456789ab
-- parents:
-- message: bad: unbatched-update

-- +upgrade
UPDATE users SET plan = 'free';

-- +downgrade
