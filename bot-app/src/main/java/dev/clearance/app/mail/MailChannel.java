package dev.clearance.app.mail;

import dev.clearance.cards.mail.MailRenderer;
import dev.clearance.core.model.Person;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.MessageRef;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Email as a channel beside Slack and Teams: a plain-text and an HTML part rendered from the request's view, and a
 * link to its page. It reaches everyone (everyone has an email address), so it is ordered after the chat platforms:
 * people get email when the policy file says {@code channels: [email]}, or when no chat platform reaches them.
 * <p>
 * An email cannot be edited: updates of a live copy send nothing (the page always shows the current state). The
 * Message-ID is derived from the outbox message's dedupe key, so if a crash makes the outbox send one again, mail
 * systems see the same message.
 */
public class MailChannel implements ChatChannel {
    public static final String NAME = "email";
    private final JavaMailSenderImpl sender;
    private final String from;
    private final Optional<String> publicUrl;

    public MailChannel(JavaMailSenderImpl sender, String from, Optional<String> publicUrl) {
        this.sender = sender;
        this.from = from;
        this.publicUrl = publicUrl;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean reaches(Person person) {
        return true;
    }

    @Override
    public MessageRef post(Person recipient, Notification n) throws DeliveryException {
        String to = recipient.email().value();
        Map<String, String> params = new java.util.HashMap<>(n.params());
        params.putIfAbsent(RequestView.RECIPIENT, to);
        MailRenderer.Mail mail = MailRenderer.render(new Notification(n.kind(), n.request(), params), publicUrl);
        String key = n.params().getOrDefault(Notification.DEDUPE_KEY, UUID.randomUUID().toString());
        String messageId = "<" + sha256(key + "|" + to) + "@clearance>";
        try {
            MimeMessage message = new FixedIdMessage(sender.getSession(), messageId);
            MimeMessageHelper helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(to);
            helper.setSubject(mail.subject());
            helper.setText(mail.text(), mail.html());
            sender.send(message);
        } catch (MessagingException | MailParseException | MailPreparationException e) {
            throw DeliveryException.permanent("email to " + to + " could not be composed: " + e.getMessage());
        } catch (MailAuthenticationException e) {
            throw DeliveryException.retryable("the SMTP server refused Clearance's login (check CLEARANCE_SMTP_USERNAME"
                    + " and the password)", Duration.ofMinutes(1));
        } catch (MailException e) {
            throw DeliveryException.retryable("the SMTP server did not take the email: " + e.getMessage(), null);
        }
        return new MessageRef(NAME, to, messageId);
    }

    @Override
    public void update(MessageRef ref, Notification notification) {
        // an email cannot be changed once sent; the link shows the current state
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps the Message-ID it was given (JavaMail would make a random one when the message is saved). */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
