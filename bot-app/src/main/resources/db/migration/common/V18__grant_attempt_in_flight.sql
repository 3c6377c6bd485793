-- When the grant attempt now in flight was claimed (null when none is): a cancel or revoke that arrives meanwhile is
-- recorded at once, but the provider is asked to revoke only after this attempt's outcome is recorded, so that a
-- revocation never overtakes the grant it undoes.
ALTER TABLE access_request ADD COLUMN grant_attempt_since TIMESTAMP WITH TIME ZONE;
