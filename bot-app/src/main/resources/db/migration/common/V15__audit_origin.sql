-- How each change arrived: the channel (slack, teams, web, api, timer, system) and the principal that channel
-- authenticated (the API token's name, the Slack user and team, the Entra object id, the web sign-in's subject).
-- Events recorded before this migration keep both empty: their origin was never known.
ALTER TABLE audit_event ADD COLUMN channel VARCHAR(32);
ALTER TABLE audit_event ADD COLUMN principal VARCHAR(200);
