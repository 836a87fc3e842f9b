-- The analysed area of an image (null = the whole image) and the one an object set was measured in.
ALTER TABLE "Image" ADD COLUMN "analysedArea" JSONB;

ALTER TABLE "ObjectSet" ADD COLUMN "analysedArea" JSONB;
