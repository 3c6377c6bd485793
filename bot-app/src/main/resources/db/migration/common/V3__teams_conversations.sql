-- Teams users' personal conversations with the bot, captured on install and on every message, for proactive messages.
CREATE TABLE teams_conversation (
    aad_object_id   VARCHAR(64)  NOT NULL,
    tenant_id       VARCHAR(64)  NOT NULL,
    user_id         VARCHAR(512) NOT NULL,
    user_name       VARCHAR(256),
    conversation_id VARCHAR(512) NOT NULL,
    service_url     VARCHAR(1024) NOT NULL,
    bot_id          VARCHAR(512),
    email           VARCHAR(254),
    blocked         BOOLEAN      NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_teams_conversation PRIMARY KEY (aad_object_id, tenant_id)
);
CREATE INDEX ix_teams_conversation_email ON teams_conversation (email);
CREATE INDEX ix_teams_conversation_conversation ON teams_conversation (conversation_id);
