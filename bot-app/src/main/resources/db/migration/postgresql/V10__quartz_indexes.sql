-- PostgreSQL's V2 created Quartz's indexes already; H2's V10 adds them there. Kept so both databases share one
-- version line.
SELECT 1;
