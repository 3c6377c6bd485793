package dev.clearance.app.slack;

import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Configuration;

/** Says once, at startup, that Slack is off and how to turn it on. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${clearance.slack.bot-token:}'.isBlank()")
class SlackOffNotice {
    SlackOffNotice() {
        LoggerFactory.getLogger(SlackOffNotice.class).info("Slack adapter off: set SLACK_BOT_TOKEN (and SLACK_APP_TOKEN or "
                + "SLACK_SIGNING_SECRET) to turn it on");
    }
}
