-- A grant end, a refusal or a revocation was stored as prose in "reason" and read back with
-- patterns. It is now a code in detail.cause (EventCause, lib/connected-accounts/event-types.ts).
-- This gives the events written before that their code, read from the prose once, with the same
-- patterns. "reason" stays as it was.
UPDATE "ConnectionEvent" AS event
SET detail = jsonb_build_object('cause', old.cause)
FROM (
  SELECT id, CASE
    WHEN type = 'connected_account.refresh_failed' THEN CASE
      WHEN reason ~* 'unreachable|did not answer|timed? ?out|abort' THEN 'provider_unreachable'
      WHEN reason ~ 'answered [45][0-9][0-9]' THEN 'provider_error'
      WHEN reason ~* 'unusable|unexpected' THEN 'provider_answer_unusable'
      WHEN reason = 'no refresh token stored' THEN 'no_refresh_token'
      WHEN reason LIKE '%cannot be read%' THEN 'unreadable'
    END
    WHEN reason LIKE 'refresh refused%' THEN CASE
      WHEN reason LIKE '%(invalid_rapt)%' THEN 'reauth_required'
      WHEN reason LIKE '%admin_policy_enforced%' THEN 'admin_policy_enforced'
      WHEN reason ~ 'unused for [0-9]+ days$' THEN 'unused'
      WHEN reason LIKE '%unauthorized_client%' THEN 'client_unauthorized'
      ELSE 'expired_or_revoked'
    END
    WHEN reason ~ ' disabled the account' THEN 'account_disabled'
    WHEN reason ~ ' deleted the account' THEN 'account_deleted'
    WHEN type = 'connected_account.revoked' OR reason LIKE 'revoked at %' THEN 'revoked_at_provider'
    WHEN reason = 'no refresh token stored' THEN 'no_refresh_token'
    WHEN reason LIKE '%cannot be read%' THEN 'unreadable'
  END AS cause
  FROM "ConnectionEvent"
  WHERE detail IS NULL AND reason IS NOT NULL
    AND type IN ('connected_account.needs_reconnect', 'connected_account.revoked', 'connected_account.refresh_failed')
) AS old
WHERE event.id = old.id AND old.cause IS NOT NULL;
