-- Sessions now store the SHA-256 of the cookie value (hex), never the value itself: a dump of this
-- table signs nobody in. Existing rows are hashed in place, so everyone stays signed in.
UPDATE "Session" SET "sessionToken" = encode(sha256(convert_to("sessionToken", 'UTF8')), 'hex');
