-- CreateTable
CREATE TABLE "AnalysisSettings" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnalysisSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SettingsResult" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "settingsId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "analysisId" TEXT,
    "objectSetId" TEXT,
    "failure" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SettingsResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AnalysisSettings_projectId_version_key" ON "AnalysisSettings"("projectId", "version");

-- CreateIndex
CREATE INDEX "SettingsResult_imageId_idx" ON "SettingsResult"("imageId");

-- CreateIndex
CREATE UNIQUE INDEX "SettingsResult_settingsId_imageId_key" ON "SettingsResult"("settingsId", "imageId");

-- AddForeignKey
ALTER TABLE "AnalysisSettings" ADD CONSTRAINT "AnalysisSettings_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SettingsResult" ADD CONSTRAINT "SettingsResult_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SettingsResult" ADD CONSTRAINT "SettingsResult_settingsId_fkey" FOREIGN KEY ("settingsId") REFERENCES "AnalysisSettings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SettingsResult" ADD CONSTRAINT "SettingsResult_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SettingsResult" ADD CONSTRAINT "SettingsResult_analysisId_fkey" FOREIGN KEY ("analysisId") REFERENCES "Analysis"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SettingsResult" ADD CONSTRAINT "SettingsResult_objectSetId_fkey" FOREIGN KEY ("objectSetId") REFERENCES "ObjectSet"("id") ON DELETE SET NULL ON UPDATE CASCADE;
