-- Teams channels the bot was added to (or mentioned in), captured so an approval channel can be posted to: a post
-- needs the channel's service URL, which only arrives with an activity from that team.
CREATE TABLE teams_channel (
    channel_id   VARCHAR(512)  PRIMARY KEY,
    team_id      VARCHAR(512),
    team_name    VARCHAR(256),
    tenant_id    VARCHAR(64),
    service_url  VARCHAR(1024) NOT NULL,
    bot_id       VARCHAR(512),
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
