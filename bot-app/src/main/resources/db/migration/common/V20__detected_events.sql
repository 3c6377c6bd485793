-- The CloudTrail events the detector acted on, by eventID (issue 21): SQS delivers at least once, so a redelivered
-- event must change nothing; and attempts made while a request is open are counted on it (outcome 'counted').
CREATE TABLE detected_event (
    event_id     VARCHAR(128) NOT NULL PRIMARY KEY,
    request_id   VARCHAR(20),
    outcome      VARCHAR(16)  NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_detected_event_request ON detected_event (request_id, outcome);
