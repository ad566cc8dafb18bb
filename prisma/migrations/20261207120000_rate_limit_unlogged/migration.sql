-- Every rate-limited request (token reads, account changes, each agent tool call) upserts a counter
-- here. On a logged table each of those commits waits for the WAL to reach the disk, on an unlogged
-- one it does not. What it gives up is harmless for a per-minute counter: after a crash PostgreSQL
-- empties the table (every limit starts its minute again), and read replicas do not see it (the
-- app only reads it on the primary, in the statement that counts).
ALTER TABLE "RateLimit" SET UNLOGGED;
