package dev.clearance.app.mail;

import dev.clearance.app.config.ClearanceProperties;
import dev.clearance.app.config.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/** The email channel, on when {@code CLEARANCE_SMTP_HOST} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${clearance.mail.smtp-host:}'.isBlank()")
class MailWiring {
    private static final Logger LOG = LoggerFactory.getLogger(MailWiring.class);

    @Bean
    @Order(30) // after Slack (10) and Teams (20): email reaches everyone, so it is the fallback unless asked for
    MailChannel mailChannel(ClearanceProperties properties) {
        ClearanceProperties.Mail m = properties.mail();
        if (m.from() == null || m.from().isBlank()) {
            throw new IllegalStateException("clearance.mail.from (CLEARANCE_MAIL_FROM) is required when"
                    + " clearance.mail.smtp-host (CLEARANCE_SMTP_HOST) is set: the address emails come from");
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(m.smtpHost().strip());
        sender.setPort(m.smtpPort() == null ? 587 : m.smtpPort());
        sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
        Properties javaMail = new Properties();
        boolean login = m.username() != null && !m.username().isBlank();
        if (login) {
            sender.setUsername(m.username().strip());
            sender.setPassword(Secrets.read(m.password(), m.passwordFile(), "clearance.mail.password (CLEARANCE_SMTP_PASSWORD)",
                    "clearance.mail.password-file").orElseThrow(() -> new IllegalStateException(
                    "clearance.mail.password (CLEARANCE_SMTP_PASSWORD) or ...password-file is required with CLEARANCE_SMTP_USERNAME")));
        }
        javaMail.put("mail.smtp.auth", Boolean.toString(login));
        // NB: a login is never sent in clear text: with a username, the server must offer STARTTLS
        javaMail.put("mail.smtp.starttls.enable", "true");
        javaMail.put("mail.smtp.starttls.required", Boolean.toString(login && !m.allowPlaintextLogin()));
        javaMail.put("mail.smtp.connectiontimeout", "10000");
        javaMail.put("mail.smtp.timeout", "10000");
        javaMail.put("mail.smtp.writetimeout", "10000");
        sender.setJavaMailProperties(javaMail);
        Optional<String> publicUrl = Optional.ofNullable(properties.publicUrl()).filter(u -> !u.isBlank()).map(String::strip);
        LOG.info("email channel: SMTP {}:{} from {}{}", sender.getHost(), sender.getPort(), m.from(),
                publicUrl.map(u -> ", links to " + u).orElse(", no links (CLEARANCE_PUBLIC_URL is not set)"));
        return new MailChannel(sender, m.from().strip(), publicUrl);
    }
}
