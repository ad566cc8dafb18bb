-- The device of each session (its browser's User-Agent, cut to 512 characters) and when it was last
-- seen (database clock, written at most once a minute): the Security settings list both. Null until
-- the session's first request after this change.
ALTER TABLE "Session" ADD COLUMN "userAgent" TEXT;
ALTER TABLE "Session" ADD COLUMN "lastSeenAt" TIMESTAMPTZ(3);
