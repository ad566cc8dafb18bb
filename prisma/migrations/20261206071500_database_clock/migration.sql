-- Timestamps compared with the database's clock are written by it too (docs/security.md#one-clock):
-- with @default(now()) Prisma filled them in on the app server's clock. Columns without a time zone
-- hold UTC, as Prisma writes them.
ALTER TABLE "User" ALTER COLUMN "createdAt" SET DEFAULT timezone('UTC'::text, now());
ALTER TABLE "Account" ALTER COLUMN "createdAt" SET DEFAULT timezone('UTC'::text, now());
ALTER TABLE "Session" ALTER COLUMN "verifiedAt" SET DEFAULT timezone('UTC'::text, now()),
                      ALTER COLUMN "createdAt" SET DEFAULT timezone('UTC'::text, now());
