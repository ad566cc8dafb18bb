-- The background sweep (lib/connected-accounts/sweep.ts) refreshes tokens of recently used
-- accounts before they expire, and keeps idle grants alive. lastUsedAt is written by
-- getAccessToken at most once a minute per account. sweepFailures counts the sweep refreshes
-- that failed in a row, and sweepRetryAt holds the next attempt back after a failure.
ALTER TABLE "Account" ADD COLUMN "lastUsedAt" TIMESTAMPTZ(3),
ADD COLUMN "sweepFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "sweepRetryAt" TIMESTAMPTZ(3);

-- The sweep finds accounts in use through this index (lastUsedAt within the last days).
CREATE INDEX "Account_lastUsedAt_idx" ON "Account"("lastUsedAt");
