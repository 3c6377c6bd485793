-- Which dispatcher holds a claim, so that the live owner can renew its short leases (a dead one's run out).
ALTER TABLE outbox_message ADD COLUMN claimed_by VARCHAR(64);
CREATE INDEX ix_outbox_claimed_by ON outbox_message (claimed_by);
