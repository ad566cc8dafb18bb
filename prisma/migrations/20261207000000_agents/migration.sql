-- Agents (MCP clients), the access users give them, and their codes and tokens, stored hashed (lib/agents).
-- CreateEnum
CREATE TYPE "AgentTokenKind" AS ENUM ('access', 'refresh');

-- CreateTable
CREATE TABLE "AgentClient" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "redirectUris" TEXT[],
    "metadataUrl" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT transaction_timestamp(),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT transaction_timestamp(),

    CONSTRAINT "AgentClient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentGrant" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "tools" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT transaction_timestamp(),
    "lastUsedAt" TIMESTAMPTZ(3),
    "lastUsedTool" TEXT,

    CONSTRAINT "AgentGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentGrantAccount" (
    "grantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,

    CONSTRAINT "AgentGrantAccount_pkey" PRIMARY KEY ("grantId","accountId")
);

-- CreateTable
CREATE TABLE "AgentAuthorizationCode" (
    "codeHash" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "codeChallenge" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "familyId" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AgentAuthorizationCode_pkey" PRIMARY KEY ("codeHash")
);

-- CreateTable
CREATE TABLE "AgentToken" (
    "tokenHash" TEXT NOT NULL,
    "kind" "AgentTokenKind" NOT NULL,
    "grantId" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AgentToken_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE UNIQUE INDEX "AgentGrant_userId_clientId_key" ON "AgentGrant"("userId", "clientId");

-- CreateIndex
CREATE INDEX "AgentGrantAccount_accountId_idx" ON "AgentGrantAccount"("accountId");

-- CreateIndex
CREATE INDEX "AgentAuthorizationCode_expiresAt_idx" ON "AgentAuthorizationCode"("expiresAt");

-- CreateIndex
CREATE INDEX "AgentToken_familyId_idx" ON "AgentToken"("familyId");

-- CreateIndex
CREATE INDEX "AgentToken_grantId_idx" ON "AgentToken"("grantId");

-- CreateIndex
CREATE INDEX "AgentToken_expiresAt_idx" ON "AgentToken"("expiresAt");

-- AddForeignKey
ALTER TABLE "AgentGrant" ADD CONSTRAINT "AgentGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentGrant" ADD CONSTRAINT "AgentGrant_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "AgentClient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentGrantAccount" ADD CONSTRAINT "AgentGrantAccount_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "AgentGrant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentGrantAccount" ADD CONSTRAINT "AgentGrantAccount_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentAuthorizationCode" ADD CONSTRAINT "AgentAuthorizationCode_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "AgentGrant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentToken" ADD CONSTRAINT "AgentToken_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "AgentGrant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

