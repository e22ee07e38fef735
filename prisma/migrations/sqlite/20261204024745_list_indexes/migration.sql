-- DropIndex
DROP INDEX "plaspy_users_account_id_idx";

-- DropIndex
DROP INDEX "roam_users_project_id_created_at_idx";

-- CreateIndex
CREATE INDEX "plaspy_users_account_id_creation_id_idx" ON "plaspy_users"("account_id", "creation", "id");

-- CreateIndex
CREATE INDEX "roam_users_project_id_is_deleted_created_at_id_idx" ON "roam_users"("project_id", "is_deleted", "created_at", "id");

-- CreateIndex
CREATE INDEX "roam_users_project_id_group_id_is_deleted_created_at_id_idx" ON "roam_users"("project_id", "group_id", "is_deleted", "created_at", "id");
