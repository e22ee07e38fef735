-- AlterTable
ALTER TABLE "plaspy_users" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "roam_users" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;
