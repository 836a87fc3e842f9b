-- AlterTable
ALTER TABLE "Image" ADD COLUMN "pixelSizeUnit" TEXT;

-- CreateTable
CREATE TABLE "ObjectSet" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "paramsHash" TEXT NOT NULL,
    "codeVersion" TEXT NOT NULL,
    "labelMapKey" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "polarity" TEXT NOT NULL,
    "imageStats" JSONB NOT NULL,
    "objects" JSONB NOT NULL DEFAULT '[]',
    "objectsKey" TEXT NOT NULL,
    "pixelSize" JSONB,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ObjectSet_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ObjectSet_projectId_idx" ON "ObjectSet"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "ObjectSet_imageId_paramsHash_key" ON "ObjectSet"("imageId", "paramsHash");

-- AddForeignKey
ALTER TABLE "ObjectSet" ADD CONSTRAINT "ObjectSet_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ObjectSet" ADD CONSTRAINT "ObjectSet_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;
