-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN "email" TEXT;

-- CreateIndex
CREATE INDEX "Invitation_email_idx" ON "Invitation"("email");
