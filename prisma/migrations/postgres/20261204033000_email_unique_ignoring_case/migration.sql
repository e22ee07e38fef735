-- Written by hand: Prisma's schema cannot say an index on an expression (its diff leaves the index alone, so
-- no later migration drops it). One Plaspy email per account, ignoring the case of ASCII letters:
-- lower() under the "C" collation folds those only, as SQLite's lower() does.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM plaspy_users GROUP BY account_id, lower(email COLLATE "C") HAVING count(*) > 1) THEN
    RAISE EXCEPTION 'plaspy_users holds emails that differ only in case within one account: make them differ, then migrate again';
  END IF;
END $$;
CREATE UNIQUE INDEX "plaspy_users_account_id_lower_email_key" ON "plaspy_users"("account_id", lower("email" COLLATE "C"));
