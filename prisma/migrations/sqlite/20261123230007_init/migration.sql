-- CreateTable
CREATE TABLE "roam_accounts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "roam_projects" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "account_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "roam_projects_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "roam_accounts" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "roam_api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" DATETIME,
    CONSTRAINT "roam_api_keys_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "roam_projects" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "roam_users" (
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
    CONSTRAINT "roam_users_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "roam_projects" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "roam_users_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "roam_groups" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "roam_groups" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "description" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "roam_groups_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "roam_projects" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "plaspy_accounts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "plaspy_users" (
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
    CONSTRAINT "plaspy_users_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "plaspy_accounts" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "plaspy_api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" DATETIME,
    CONSTRAINT "plaspy_api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "plaspy_users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "plaspy_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "api_key_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" DATETIME NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plaspy_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "plaspy_users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "plaspy_tokens_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "plaspy_api_keys" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "plaspy_usage" (
    "user_id" TEXT NOT NULL PRIMARY KEY,
    "total" INTEGER NOT NULL DEFAULT 0,
    "day" TEXT NOT NULL,
    "daily" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "plaspy_usage_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "plaspy_users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "roam_accounts_name_key" ON "roam_accounts"("name");

-- CreateIndex
CREATE INDEX "roam_projects_account_id_idx" ON "roam_projects"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "roam_api_keys_key_hash_key" ON "roam_api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "roam_api_keys_project_id_idx" ON "roam_api_keys"("project_id");

-- CreateIndex
CREATE INDEX "roam_users_project_id_created_at_idx" ON "roam_users"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "roam_groups_project_id_idx" ON "roam_groups"("project_id");

-- CreateIndex
CREATE UNIQUE INDEX "plaspy_accounts_name_key" ON "plaspy_accounts"("name");

-- CreateIndex
CREATE UNIQUE INDEX "plaspy_users_user_name_key" ON "plaspy_users"("user_name");

-- CreateIndex
CREATE INDEX "plaspy_users_account_id_idx" ON "plaspy_users"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "plaspy_users_account_id_email_key" ON "plaspy_users"("account_id", "email");

-- CreateIndex
CREATE UNIQUE INDEX "plaspy_api_keys_key_hash_key" ON "plaspy_api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "plaspy_api_keys_user_id_idx" ON "plaspy_api_keys"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "plaspy_tokens_token_hash_key" ON "plaspy_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "plaspy_tokens_user_id_idx" ON "plaspy_tokens"("user_id");

-- CreateIndex
CREATE INDEX "plaspy_tokens_api_key_id_idx" ON "plaspy_tokens"("api_key_id");
