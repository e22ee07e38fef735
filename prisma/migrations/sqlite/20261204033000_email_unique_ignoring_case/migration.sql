-- Written by hand: Prisma's schema cannot say an index on an expression (its diff leaves the index alone, so
-- no later migration drops it). One Plaspy email per account, ignoring the case of ASCII letters:
-- SQLite's lower() folds those only, as Postgres' lower() under the "C" collation does.
-- A database that already holds two such emails in one account stops here (UNIQUE constraint failed): make
-- them differ, then migrate again.
CREATE UNIQUE INDEX "plaspy_users_account_id_lower_email_key" ON "plaspy_users"("account_id", lower("email"));
