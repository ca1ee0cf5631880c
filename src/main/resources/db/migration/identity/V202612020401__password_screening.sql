-- A password that became known-breached after it was set: signing in still works, the owner is told.
ALTER TABLE accounts ADD COLUMN password_breached boolean NOT NULL DEFAULT false;
