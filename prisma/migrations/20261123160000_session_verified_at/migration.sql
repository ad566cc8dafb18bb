-- When the user of a session last proved who they are (signed in, or confirmed with a linked
-- provider). Linking and unlinking accounts ask for a recent one.
ALTER TABLE "Session" ADD COLUMN "verifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- A user email is now only an address a provider verified. Addresses taken from an unverified
-- sign-in stop claiming the address (the account still signs in, and the verified owner can sign up).
UPDATE "User" SET "email" = NULL WHERE "emailVerified" IS NULL AND "email" IS NOT NULL;
