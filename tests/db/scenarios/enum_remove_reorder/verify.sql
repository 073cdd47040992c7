SELECT mood = 'sad' AND history = '{ok,happy}'::mood[] FROM people WHERE id = 1;
SELECT 'happy'::mood < 'sad'::mood;
