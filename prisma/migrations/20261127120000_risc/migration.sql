-- Notices received from providers (lib/connected-accounts/provider-notices.ts): the ids of Google
-- security event tokens (jti) and of GitHub webhook deliveries, so a replay changes nothing.
-- CreateTable
CREATE TABLE "ReceivedNotice" (
    "source" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReceivedNotice_pkey" PRIMARY KEY ("source","id")
);

-- CreateIndex
CREATE INDEX "ReceivedNotice_source_receivedAt_idx" ON "ReceivedNotice"("source", "receivedAt");
