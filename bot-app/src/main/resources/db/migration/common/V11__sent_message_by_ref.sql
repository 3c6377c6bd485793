-- A copy's digest is written back by its (channel, conversation, message) reference after every update. Without an
-- index that UPDATE read the whole table: a third of the outbox's CPU at 100 requests/s (JFR, issue 10).
CREATE INDEX ix_sent_message_ref ON sent_message (message_id, conversation_id, channel);
