-- A post to a shared approval channel has no single recipient.
ALTER TABLE sent_message ALTER COLUMN recipient DROP NOT NULL;
