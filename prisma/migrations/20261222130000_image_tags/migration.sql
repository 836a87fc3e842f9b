-- CreateTable
CREATE TABLE "ImageTag" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "numberValue" DOUBLE PRECISION,
    "textValue" TEXT,
    "unit" TEXT,
    "source" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImageTag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImageTag_projectId_key_idx" ON "ImageTag"("projectId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "ImageTag_imageId_key_key" ON "ImageTag"("imageId", "key");

-- AddForeignKey
ALTER TABLE "ImageTag" ADD CONSTRAINT "ImageTag_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageTag" ADD CONSTRAINT "ImageTag_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;
