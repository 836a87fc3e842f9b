-- CreateTable
CREATE TABLE "WorkerLiveness" (
    "workerId" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkerLiveness_pkey" PRIMARY KEY ("workerId")
);

-- CreateTable
CREATE TABLE "ActiveJobLease" (
    "jobId" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActiveJobLease_pkey" PRIMARY KEY ("jobId")
);

-- CreateIndex
CREATE INDEX "WorkerLiveness_lastSeenAt_idx" ON "WorkerLiveness"("lastSeenAt");

-- CreateIndex
CREATE INDEX "ActiveJobLease_workerId_idx" ON "ActiveJobLease"("workerId");

-- AddForeignKey
ALTER TABLE "ActiveJobLease" ADD CONSTRAINT "ActiveJobLease_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "WorkerLiveness"("workerId") ON DELETE CASCADE ON UPDATE CASCADE;
