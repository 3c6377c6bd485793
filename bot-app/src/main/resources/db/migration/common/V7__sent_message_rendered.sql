-- The digest of what was last sent for each copy, so that an update that would change nothing is not sent.
ALTER TABLE sent_message ADD COLUMN rendered_digest VARCHAR(64);
