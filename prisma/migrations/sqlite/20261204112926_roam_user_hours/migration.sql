-- CreateTable
CREATE TABLE "roam_user_hours" (
    "project_id" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "hour" INTEGER NOT NULL,
    "shard" INTEGER NOT NULL DEFAULT 0,
    "live" INTEGER NOT NULL,

    PRIMARY KEY ("project_id", "group_id", "hour", "shard")
);

-- Hand-written: the triggers that keep roam_user_hours equal to the live users of each project, group and hour,
-- in the statement that writes the user. A user is "live" while not deleted; it counts once for its project
-- (group_id '') and once for its group, in the hour its created_at falls in (unixepoch rounds down). Per row:
-- SQLite has one writer at a time, so the order in which a statement takes the hours cannot deadlock.
CREATE TRIGGER "roam_user_hours_insert" AFTER INSERT ON "roam_users" WHEN NOT NEW."is_deleted" BEGIN
    INSERT INTO "roam_user_hours" ("project_id", "group_id", "hour", "live") SELECT NEW."project_id", g, (unixepoch(NEW."created_at") - ((unixepoch(NEW."created_at") % 3600) + 3600) % 3600) / 3600, 1
        FROM (SELECT '' AS g UNION ALL SELECT NEW."group_id" WHERE NEW."group_id" IS NOT NULL) WHERE true
        ON CONFLICT DO UPDATE SET "live" = "live" + 1;
END;

CREATE TRIGGER "roam_user_hours_delete" AFTER DELETE ON "roam_users" WHEN NOT OLD."is_deleted" BEGIN
    UPDATE "roam_user_hours" SET "live" = "live" - 1
        WHERE "project_id" = OLD."project_id" AND ("group_id" = '' OR "group_id" = OLD."group_id")
        AND "hour" = (unixepoch(OLD."created_at") - ((unixepoch(OLD."created_at") % 3600) + 3600) % 3600) / 3600;
END;

CREATE TRIGGER "roam_user_hours_update" AFTER UPDATE OF "project_id", "group_id", "is_deleted", "created_at" ON "roam_users" BEGIN
    UPDATE "roam_user_hours" SET "live" = "live" - 1
        WHERE NOT OLD."is_deleted" AND "project_id" = OLD."project_id" AND ("group_id" = '' OR "group_id" = OLD."group_id")
        AND "hour" = (unixepoch(OLD."created_at") - ((unixepoch(OLD."created_at") % 3600) + 3600) % 3600) / 3600;
    INSERT INTO "roam_user_hours" ("project_id", "group_id", "hour", "live") SELECT NEW."project_id", g, (unixepoch(NEW."created_at") - ((unixepoch(NEW."created_at") % 3600) + 3600) % 3600) / 3600, 1
        FROM (SELECT '' AS g UNION ALL SELECT NEW."group_id" WHERE NEW."group_id" IS NOT NULL) WHERE NOT NEW."is_deleted"
        ON CONFLICT DO UPDATE SET "live" = "live" + 1;
END;

-- The users already there.
INSERT INTO "roam_user_hours" ("project_id", "group_id", "hour", "live")
SELECT "project_id", g, h, count(*) FROM (
    SELECT "project_id", '' AS g, (unixepoch("created_at") - ((unixepoch("created_at") % 3600) + 3600) % 3600) / 3600 AS h FROM "roam_users" WHERE NOT "is_deleted"
    UNION ALL
    SELECT "project_id", "group_id", (unixepoch("created_at") - ((unixepoch("created_at") % 3600) + 3600) % 3600) / 3600 FROM "roam_users" WHERE NOT "is_deleted" AND "group_id" IS NOT NULL
) GROUP BY "project_id", g, h;
