-- When the member lookup last confirmed a Teams person's email (issue 19). Until then (NULL, as for every row written
-- before this version, whose email may have come from Entra's freely settable `mail`), the email is looked up again
-- at the person's next activity, from the configured attribute (TEAMS_EMAIL_ATTRIBUTE, userPrincipalName by default).
ALTER TABLE teams_conversation ADD COLUMN email_checked_at TIMESTAMP WITH TIME ZONE;
