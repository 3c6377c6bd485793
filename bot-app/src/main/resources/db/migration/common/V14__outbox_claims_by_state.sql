-- An instance renews its claims every few seconds (claimed_by = me AND state = 'PENDING'). claimed_by stays set on
-- the messages it delivered, so an index on claimed_by alone walked every message the instance ever delivered: at
-- 100,000 requests that renewal was a steady share of the idle CPU (JFR, issue 10). With the state in the index it
-- reads only the messages still pending.
DROP INDEX ix_outbox_claimed_by;
CREATE INDEX ix_outbox_claimed_by ON outbox_message (claimed_by, state);
