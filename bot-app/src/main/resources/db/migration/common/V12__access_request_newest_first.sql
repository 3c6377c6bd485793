-- Listings are newest first (GET /requests, "pending"). Without an index on that order each first page read and
-- sorted every row: at 106,000 open requests "pending" for an admin took 141 ms against 0.5 ms walking this index
-- (BENCHMARKS.md, issue 10).
CREATE INDEX ix_access_request_newest ON access_request (created_at DESC, id DESC);
