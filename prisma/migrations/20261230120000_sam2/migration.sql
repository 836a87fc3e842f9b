-- SAM 2 (issue 15): how an object set was made, and the cached image embeddings.

-- AlterTable
ALTER TABLE "ObjectSet" ADD COLUMN "method" TEXT NOT NULL DEFAULT 'classical';

-- CreateTable
CREATE TABLE "SamEmbedding" (
    "id" TEXT NOT NULL,
    "imageSha256" TEXT NOT NULL,
    "encoderSha256" TEXT NOT NULL,
    "codeVersion" TEXT NOT NULL,
    "blobKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SamEmbedding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SamEmbedding_imageSha256_encoderSha256_codeVersion_key" ON "SamEmbedding"("imageSha256", "encoderSha256", "codeVersion");
