-- Timestamps compared with the database's clock are written by it too (docs/security.md#one-clock):
-- with @default(now()) Prisma fills them in on the app server's clock. Columns without a time zone
-- hold UTC, as Prisma writes them. transaction_timestamp() is now() under a name Prisma does not
-- read back as its own now(), which would make every `migrate dev` propose to change it again.
ALTER TABLE "User" ALTER COLUMN "createdAt" SET DEFAULT timezone('UTC'::text, now());
ALTER TABLE "Account" ALTER COLUMN "createdAt" SET DEFAULT timezone('UTC'::text, now());
ALTER TABLE "Session" ALTER COLUMN "verifiedAt" SET DEFAULT timezone('UTC'::text, now()),
                      ALTER COLUMN "createdAt" SET DEFAULT timezone('UTC'::text, now());
ALTER TABLE "ConnectionEvent" ALTER COLUMN "createdAt" SET DEFAULT transaction_timestamp();
ALTER TABLE "WebhookDelivery" ALTER COLUMN "nextAttemptAt" SET DEFAULT transaction_timestamp();
ALTER TABLE "Notice" ALTER COLUMN "createdAt" SET DEFAULT transaction_timestamp();
ALTER TABLE "ReceivedNotice" ALTER COLUMN "receivedAt" SET DEFAULT transaction_timestamp();
