-- Account changes already carried out (lib/connected-accounts/account-change.ts): each is good once.
-- CreateTable
CREATE TABLE "UsedAccountChange" (
    "id" TEXT NOT NULL,
    "usedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT transaction_timestamp(),

    CONSTRAINT "UsedAccountChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UsedAccountChange_usedAt_idx" ON "UsedAccountChange"("usedAt");
