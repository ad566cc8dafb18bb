-- A refresh claims its account for a while (a lease) instead of holding a row lock across the call
-- to the provider. refreshLeaseUntil is set on the database clock by compare-and-set, and
-- refreshLeaseId names the claim, so that only its holder clears it. Both are null when no refresh
-- is under way, and an expired lease counts as none (its holder died or lost its connection).
ALTER TABLE "Account" ADD COLUMN "refreshLeaseUntil" TIMESTAMPTZ(3),
ADD COLUMN "refreshLeaseId" TEXT;
