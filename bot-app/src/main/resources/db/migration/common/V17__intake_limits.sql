-- The intake limits (policy file 'limits') ask, at each new request, how many of the person's requests are open and
-- when the same access was last denied to them: both are a range of this index, not a walk over all their requests.
CREATE INDEX ix_access_request_requester_status ON access_request (requester, status, decided_at);
