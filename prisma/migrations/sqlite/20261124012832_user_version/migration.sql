-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_plaspy_users" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "account_id" TEXT NOT NULL,
    "user_name" TEXT,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "description" TEXT,
    "message" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "disabled_message" TEXT,
    "tags" JSONB,
    "privileges" JSONB NOT NULL,
    "group_name" TEXT,
    "device_id" TEXT,
    "admin_devices" INTEGER,
    "valid_from" DATETIME,
    "valid_until" DATETIME,
    "password_hash" TEXT,
    "creation" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modification" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "plaspy_users_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "plaspy_accounts" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_plaspy_users" ("account_id", "admin_devices", "country", "creation", "description", "device_id", "disabled", "disabled_message", "email", "group_name", "id", "last_login", "message", "modification", "name", "password_hash", "privileges", "tags", "time_zone", "user_name", "valid_from", "valid_until") SELECT "account_id", "admin_devices", "country", "creation", "description", "device_id", "disabled", "disabled_message", "email", "group_name", "id", "last_login", "message", "modification", "name", "password_hash", "privileges", "tags", "time_zone", "user_name", "valid_from", "valid_until" FROM "plaspy_users";
DROP TABLE "plaspy_users";
ALTER TABLE "new_plaspy_users" RENAME TO "plaspy_users";
CREATE UNIQUE INDEX "plaspy_users_user_name_key" ON "plaspy_users"("user_name");
CREATE INDEX "plaspy_users_account_id_idx" ON "plaspy_users"("account_id");
CREATE UNIQUE INDEX "plaspy_users_account_id_email_key" ON "plaspy_users"("account_id", "email");
CREATE TABLE "new_roam_users" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "app_type" INTEGER NOT NULL,
    "device_token" TEXT NOT NULL,
    "device_uuid" TEXT,
    "description" TEXT,
    "brand" TEXT,
    "model" TEXT,
    "os_version" TEXT,
    "sdk_version" TEXT NOT NULL DEFAULT '0',
    "device_arn" TEXT,
    "group_id" TEXT,
    "geofence_events" BOOLEAN NOT NULL DEFAULT false,
    "motion_events" BOOLEAN NOT NULL DEFAULT false,
    "location_events" BOOLEAN NOT NULL DEFAULT false,
    "trips_events" BOOLEAN NOT NULL DEFAULT false,
    "nearby_events" BOOLEAN NOT NULL DEFAULT false,
    "location_listener" BOOLEAN NOT NULL DEFAULT false,
    "event_listener" BOOLEAN NOT NULL DEFAULT false,
    "metadata" JSONB,
    "is_deleted" BOOLEAN NOT NULL DEFAULT false,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "roam_users_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "roam_projects" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "roam_users_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "roam_groups" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_roam_users" ("app_type", "brand", "created_at", "description", "device_arn", "device_token", "device_uuid", "event_listener", "geofence_events", "group_id", "id", "is_deleted", "location_events", "location_listener", "metadata", "model", "motion_events", "nearby_events", "os_version", "project_id", "sdk_version", "trips_events", "updated_at") SELECT "app_type", "brand", "created_at", "description", "device_arn", "device_token", "device_uuid", "event_listener", "geofence_events", "group_id", "id", "is_deleted", "location_events", "location_listener", "metadata", "model", "motion_events", "nearby_events", "os_version", "project_id", "sdk_version", "trips_events", "updated_at" FROM "roam_users";
DROP TABLE "roam_users";
ALTER TABLE "new_roam_users" RENAME TO "roam_users";
CREATE INDEX "roam_users_project_id_created_at_idx" ON "roam_users"("project_id", "created_at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
