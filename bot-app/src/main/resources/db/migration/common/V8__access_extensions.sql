-- Extension requests: a request that, once approved, moves the end of another request's grant. While it is pending,
-- its active_key is 'extension-of|<original id>', so one grant has at most one pending extension.
ALTER TABLE access_request ADD COLUMN extension_of VARCHAR(20) REFERENCES access_request (id);
CREATE INDEX ix_access_request_extension_of ON access_request (extension_of);
