-- An officer's badge belongs to their account: the officer's form records
-- it as theirs instead of having it typed, and an officer may undo a
-- record that lists it. One badge, one account (disabled ones keep theirs,
-- so that old records still name one person); empty for accounts without.
ALTER TABLE users ADD COLUMN badge TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_badge ON users (badge) WHERE badge <> '';
