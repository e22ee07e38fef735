-- Postgres only (hand-written; SQLite has no roles): row-level security by tenant, a Roam project or a
-- Plaspy account. The server connects as a member of tracker_users_app, which owns nothing, is no superuser
-- and has no BYPASSRLS, so these policies hold for it; the tables' owner (migrations, the CLI) is not bound
-- by them. A connection names its tenant in two settings (src/db/tenant.ts); unset or '' matches no row.

-- The role the server's login is a member of. Made here if missing, which needs CREATEROLE; a DBA may make it
-- beforehand instead. unique_violation: another migration made it at the same moment.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tracker_users_app') THEN
    CREATE ROLE tracker_users_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- Roam: every row belongs to one project.
ALTER TABLE roam_projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON roam_projects USING (id = current_setting('tracker_users.roam_project', true));
ALTER TABLE roam_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON roam_accounts USING (id IN (SELECT account_id FROM roam_projects));
ALTER TABLE roam_api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON roam_api_keys USING (project_id = current_setting('tracker_users.roam_project', true));
ALTER TABLE roam_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON roam_users USING (project_id = current_setting('tracker_users.roam_project', true));
ALTER TABLE roam_groups ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON roam_groups USING (project_id = current_setting('tracker_users.roam_project', true));

-- Plaspy: every row belongs to one account, directly or through its user (the subquery is itself filtered).
ALTER TABLE plaspy_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON plaspy_accounts USING (id = current_setting('tracker_users.plaspy_account', true));
ALTER TABLE plaspy_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON plaspy_users USING (account_id = current_setting('tracker_users.plaspy_account', true));
ALTER TABLE plaspy_api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON plaspy_api_keys USING (user_id IN (SELECT id FROM plaspy_users));
ALTER TABLE plaspy_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON plaspy_tokens USING (user_id IN (SELECT id FROM plaspy_users));
ALTER TABLE plaspy_usage ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON plaspy_usage USING (user_id IN (SELECT id FROM plaspy_users));

-- Authentication comes before the tenant is known: a credential is looked up by the hash of the secret
-- presented, across tenants. These functions do that and nothing else, as the owner (SECURITY DEFINER), so
-- the server never needs to see other tenants' credentials. Each answers only the row of the given hash.

-- The project and account of a Roam key that is not revoked (src/roam/sql.postgres.ts).
CREATE FUNCTION roam_key_principal(presented_hash TEXT)
RETURNS TABLE ("projectId" TEXT, "accountId" TEXT)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
  SELECT p.id, p.account_id FROM roam_api_keys k JOIN roam_projects p ON p.id = k.project_id
  WHERE k.key_hash = presented_hash AND k.revoked_at IS NULL
$$;

-- The account of a Plaspy API key's user: the tenant POST /api/Auth/Token looks the key up in.
CREATE FUNCTION plaspy_api_key_account(presented_hash TEXT)
RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER AS $$
  SELECT u.account_id FROM plaspy_api_keys k JOIN plaspy_users u ON u.id = k.user_id WHERE k.key_hash = presented_hash
$$;

-- countTokenRequest() of src/plaspy/sql.columns.ts, as SQLite runs it: counts the request of a good bearer
-- token and answers its principal. plpgsql: its plan is cached per connection, an SQL function's is not.
CREATE FUNCTION plaspy_count_token_request(presented_hash TEXT, moment TIMESTAMP(3), today TEXT)
RETURNS TABLE ("userId" TEXT, total INTEGER, daily INTEGER, "accountId" TEXT, privileges JSONB)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  INSERT INTO plaspy_usage (user_id, total, day, daily)
  SELECT u.id, 1, today, 1
    FROM plaspy_tokens t JOIN plaspy_api_keys k ON k.id = t.api_key_id JOIN plaspy_users u ON u.id = t.user_id
    WHERE t.token_hash = presented_hash AND t.expires_at > moment AND k.revoked_at IS NULL
      AND u.disabled = false AND (u.valid_from IS NULL OR u.valid_from <= moment)
      AND (u.valid_until IS NULL OR moment < u.valid_until)
  ON CONFLICT (user_id) DO UPDATE SET
    total = plaspy_usage.total + 1,
    daily = CASE WHEN plaspy_usage.day = excluded.day THEN plaspy_usage.daily + 1 ELSE 1 END,
    day = excluded.day
  RETURNING plaspy_usage.user_id, plaspy_usage.total, plaspy_usage.daily,
    (SELECT account_id FROM plaspy_users WHERE id = plaspy_usage.user_id),
    (SELECT privileges FROM plaspy_users WHERE id = plaspy_usage.user_id);
END
$$;

-- What the server does, and no more: it never writes accounts, projects or keys (the CLI does, as the owner).
GRANT SELECT, INSERT, UPDATE ON roam_users, roam_groups TO tracker_users_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON plaspy_users TO tracker_users_app;
GRANT SELECT, INSERT ON plaspy_tokens TO tracker_users_app;
GRANT SELECT ON plaspy_api_keys TO tracker_users_app;
REVOKE EXECUTE ON FUNCTION roam_key_principal(TEXT), plaspy_api_key_account(TEXT),
  plaspy_count_token_request(TEXT, TIMESTAMP(3), TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION roam_key_principal(TEXT), plaspy_api_key_account(TEXT),
  plaspy_count_token_request(TEXT, TIMESTAMP(3), TEXT) TO tracker_users_app;

-- The schema's name is known only now (?schema= in DATABASE_URL): the role may use it, and the functions
-- resolve table names there alone, never in a schema their caller could write (pg_temp last). /readyz reads
-- _prisma_migrations, which a scratch database replaying the migrations (npm run db:migration) does not have.
DO $$
BEGIN
  IF to_regclass('_prisma_migrations') IS NOT NULL THEN
    GRANT SELECT ON _prisma_migrations TO tracker_users_app;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO tracker_users_app', current_schema());
  EXECUTE format('ALTER FUNCTION roam_key_principal(TEXT) SET search_path = %I, pg_temp', current_schema());
  EXECUTE format('ALTER FUNCTION plaspy_api_key_account(TEXT) SET search_path = %I, pg_temp', current_schema());
  EXECUTE format('ALTER FUNCTION plaspy_count_token_request(TEXT, TIMESTAMP(3), TEXT) SET search_path = %I, pg_temp', current_schema());
END $$;
