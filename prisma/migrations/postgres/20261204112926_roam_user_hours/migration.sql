-- CreateTable
CREATE TABLE "roam_user_hours" (
    "project_id" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "hour" INTEGER NOT NULL,
    "shard" INTEGER NOT NULL DEFAULT 0,
    "live" INTEGER NOT NULL,

    CONSTRAINT "roam_user_hours_pkey" PRIMARY KEY ("project_id","group_id","hour","shard")
);

-- Hand-written: the triggers that keep roam_user_hours equal to the live users of each project, group and hour,
-- in the statement that writes the users. A user is "live" while not deleted; it counts once for its project
-- (group_id '') and once for its group, in the hour its created_at (UTC) falls in. Per statement, not per row:
-- the changes are summed per hour and applied in key order, so two statements that move many users (a group
-- add) take the hours' rows in one order and wait for each other instead of deadlocking; an update that moves
-- no count (Update User) writes nothing. They run as the writer: the project's row-level security holds for the
-- hours as for the users. Each connection counts into its own shard of an hour (its backend's pid, modulo 16),
-- so concurrent writers of one project do not queue on one row until they commit.

-- A user counted in (or out of) its hour, and the changes of one statement summed per row of roam_user_hours,
-- in key order, leaving out what cancels.
CREATE TYPE roam_user_hours_change AS (project_id TEXT, group_id TEXT, created_at TIMESTAMP(3), delta INTEGER);
CREATE FUNCTION roam_user_hours_changes(changes roam_user_hours_change[])
RETURNS TABLE (project_id TEXT, group_id TEXT, hour INTEGER, shard INTEGER, live INTEGER) LANGUAGE sql STABLE AS $$
  SELECT c.project_id, g, floor(extract(epoch FROM c.created_at) / 3600)::int, pg_backend_pid() % 16, sum(c.delta)::int
  FROM unnest(changes) AS c CROSS JOIN LATERAL unnest(ARRAY['', c.group_id]) AS g
  WHERE g IS NOT NULL
  GROUP BY 1, 2, 3 HAVING sum(c.delta) <> 0
  ORDER BY 1, 2, 3
$$;

CREATE FUNCTION roam_user_hours_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes roam_user_hours_change[] := '{}';
BEGIN
  IF TG_OP <> 'INSERT' THEN
    changes := ARRAY(SELECT (project_id, group_id, created_at, -1)::roam_user_hours_change FROM old_users WHERE NOT is_deleted);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    changes := changes || ARRAY(SELECT (project_id, group_id, created_at, 1)::roam_user_hours_change FROM new_users WHERE NOT is_deleted);
  END IF;
  INSERT INTO roam_user_hours AS h SELECT * FROM roam_user_hours_changes(changes)
    ON CONFLICT (project_id, group_id, hour, shard) DO UPDATE SET live = h.live + EXCLUDED.live;
  RETURN NULL;
END $$;

CREATE TRIGGER roam_user_hours_insert AFTER INSERT ON roam_users
  REFERENCING NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION roam_user_hours_count();
CREATE TRIGGER roam_user_hours_update AFTER UPDATE ON roam_users
  REFERENCING OLD TABLE AS old_users NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION roam_user_hours_count();
CREATE TRIGGER roam_user_hours_delete AFTER DELETE ON roam_users
  REFERENCING OLD TABLE AS old_users FOR EACH STATEMENT EXECUTE FUNCTION roam_user_hours_count();

-- The users already there.
INSERT INTO roam_user_hours (project_id, group_id, hour, live)
SELECT project_id, g, floor(extract(epoch FROM created_at) / 3600)::int, count(*)
FROM roam_users, unnest(ARRAY['', group_id]) AS g
WHERE NOT is_deleted AND g IS NOT NULL
GROUP BY 1, 2, 3;

-- Each project sees only its own hours, as it sees only its own users; the server reads and the trigger writes.
ALTER TABLE roam_user_hours ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON roam_user_hours USING (project_id = current_setting('tracker_users.roam_project', true));
DO $$ BEGIN
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON roam_user_hours TO %I', tracker_users_app_role());
END $$;
