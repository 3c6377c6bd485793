package dev.clearance.app.config;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The log channel reaches everyone, so it would swallow messages meant for a real platform: with
 * {@code clearance.chat.log.enabled=auto} (the default) it is on only while no chat platform is configured.
 */
class LogChannelCondition implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String setting = context.getEnvironment().getProperty("clearance.chat.log.enabled", "auto").trim();
        if (setting.equalsIgnoreCase("true")) {
            return true;
        }
        if (setting.equalsIgnoreCase("false")) {
            return false;
        }
        var env = context.getEnvironment();
        return env.getProperty("clearance.slack.bot-token", "").isBlank() && env.getProperty("clearance.teams.app-id", "").isBlank()
                && !env.getProperty("clearance.teams.allow-unauthenticated", "false").equalsIgnoreCase("true");
    }
}
