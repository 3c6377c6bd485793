-- What an access provider called its actions (e.g. IAM Identity Center assignment request ids), shown on the request.
ALTER TABLE access_request ADD COLUMN provider_reference VARCHAR(2000);

-- The IAM Identity Center provider's ledger: one row per account assignment (instance, account, permission set,
-- user) that Clearance grants, and which requests hold it. Clearance removes an assignment only when it created it
-- and the last request holding it ends; one that existed before (standing access) is left in place.
CREATE TABLE aws_assignment (
    assignment_key       VARCHAR(700)  NOT NULL PRIMARY KEY,
    instance_arn         VARCHAR(200)  NOT NULL,
    account_id           VARCHAR(12)   NOT NULL,
    permission_set_arn   VARCHAR(200)  NOT NULL,
    principal_id         VARCHAR(100)  NOT NULL,
    origin               VARCHAR(16)   NOT NULL,
    state                VARCHAR(16)   NOT NULL,
    creation_request_id  VARCHAR(100),
    deletion_request_id  VARCHAR(100),
    released_by          VARCHAR(20),
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE aws_assignment_holder (
    request_id      VARCHAR(20)  NOT NULL PRIMARY KEY,
    assignment_key  VARCHAR(700) NOT NULL REFERENCES aws_assignment (assignment_key),
    holding         BOOLEAN      NOT NULL,
    since           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_aws_assignment_holder_key ON aws_assignment_holder (assignment_key, holding);
