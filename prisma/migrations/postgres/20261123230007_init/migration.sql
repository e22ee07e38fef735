-- CreateTable
CREATE TABLE "roam_accounts" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "roam_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roam_projects" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "roam_projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roam_api_keys" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "roam_api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roam_users" (
    "id" TEXT NOT NULL,
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
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "roam_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roam_groups" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "roam_groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plaspy_accounts" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plaspy_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plaspy_users" (
    "id" TEXT NOT NULL,
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
    "valid_from" TIMESTAMP(3),
    "valid_until" TIMESTAMP(3),
    "password_hash" TEXT,
    "creation" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modification" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login" TIMESTAMP(3),

    CONSTRAINT "plaspy_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plaspy_api_keys" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "plaspy_api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plaspy_tokens" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "api_key_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plaspy_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plaspy_usage" (
    "user_id" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "day" TEXT NOT NULL,
    "daily" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "plaspy_usage_pkey" PRIMARY KEY ("user_id")
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

-- AddForeignKey
ALTER TABLE "roam_projects" ADD CONSTRAINT "roam_projects_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "roam_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roam_api_keys" ADD CONSTRAINT "roam_api_keys_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "roam_projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roam_users" ADD CONSTRAINT "roam_users_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "roam_projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roam_users" ADD CONSTRAINT "roam_users_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "roam_groups"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roam_groups" ADD CONSTRAINT "roam_groups_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "roam_projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plaspy_users" ADD CONSTRAINT "plaspy_users_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "plaspy_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plaspy_api_keys" ADD CONSTRAINT "plaspy_api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "plaspy_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plaspy_tokens" ADD CONSTRAINT "plaspy_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "plaspy_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plaspy_tokens" ADD CONSTRAINT "plaspy_tokens_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "plaspy_api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plaspy_usage" ADD CONSTRAINT "plaspy_usage_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "plaspy_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
