package dev.clearance.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.clearance.app.support.AppTestBase;
import dev.clearance.core.notify.NotificationKind;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The email channel against a real SMTP server in the test JVM (GreenMail): Pat asks for email in the policy file,
 * and people no chat platform reaches get email instead of nothing. Retried while the server is down, never twice.
 */
class MailChannelTest extends AppTestBase {
    private static final int PORT = freePort();
    private static GreenMail smtp = started();

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GreenMail started() {
        GreenMail g = new GreenMail(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("clearance.config", () -> "src/test/resources/mail/clearance-mail.yml");
        registry.add("clearance.mail.smtp-host", () -> "127.0.0.1");
        registry.add("clearance.mail.smtp-port", () -> PORT);
        registry.add("clearance.mail.from", () -> "clearance@example.com");
        registry.add("clearance.public-url", () -> "https://clearance.example.com");
    }

    @AfterAll
    static void stop() {
        smtp.stop();
    }

    @BeforeEach
    void emptyMailbox() throws Exception {
        if (!smtp.isRunning()) {
            smtp = started();
        }
        smtp.purgeEmailFromAllMailboxes();
    }

    private List<MimeMessage> to(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equals(address));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static String part(MimeMessage m, String type) throws Exception {
        Multipart outer = (Multipart) m.getContent();
        return find((Multipart) outer, type);
    }

    private static String find(Multipart mp, String type) throws Exception {
        for (int i = 0; i < mp.getCount(); i++) {
            var p = mp.getBodyPart(i);
            if (p.getContent() instanceof Multipart inner) {
                String found = find(inner, type);
                if (found != null) {
                    return found;
                }
            } else if (p.isMimeType(type)) {
                return (String) p.getContent();
            }
        }
        return null;
    }

    @Test
    void anApproverWhoAskedForEmailGetsTheApprovalRequestWithALinkAndNothingMoreWhenItIsDecided() throws Exception {
        String id = intake("alice@example.com", "ec2:RebootInstances", "123456789012"); // org/prod: pat and pia approve
        justify(id, "alice@example.com", "1h");
        settle();

        List<MimeMessage> toPat = to("pat@example.com");
        assertThat(toPat).hasSize(1);
        MimeMessage mail = toPat.get(0);
        assertThat(mail.getSubject()).isEqualTo("[Clearance] Approval needed: ec2:RebootInstances in 123456789012 (" + id + ")");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("clearance@example.com");
        assertThat(mail.getMessageID()).matches("<[0-9a-f]{64}@clearance>");
        String text = part(mail, "text/plain");
        String html = part(mail, "text/html");
        assertThat(text).contains("Approval needed: Alice Requester <alice@example.com> requests ec2:RebootInstances")
                .contains("Open the request (sign-in required): https://clearance.example.com/requests/" + id);
        assertThat(html).contains("<a href=\"https://clearance.example.com/requests/" + id + "\"")
                .contains("Alice Requester &lt;alice@example.com&gt;").doesNotContain("<script");
        assertThat(chat.to("pat@example.com")).as("pat asked for email only").isEmpty();
        assertThat(chat.latest("pia@example.com", NotificationKind.APPROVAL_REQUEST, id)).as("pia, by chat").isPresent();

        decide(id, "pia@example.com", "approve");
        settle();
        assertThat(to("pat@example.com")).as("a decided copy is not mailed again").hasSize(1);
        withdraw(id, "alice@example.com");
    }

    @Test
    void someoneNoChatPlatformReachesGetsEmailInsteadOfNothing() throws Exception {
        chat.doesNotKnow("carol@example.com");
        String id = intake("carol@example.com", "ec2:StopInstances", "333333333333");
        settle();

        assertThat(to("carol@example.com")).singleElement().satisfies(m -> {
            assertThat(m.getSubject()).isEqualTo("[Clearance] Justify your access request: ec2:StopInstances in 333333333333 (" + id + ")");
            assertThat(GreenMailUtil.getBody(m)).contains("https://clearance.example.com/requests/" + id);
        });
        assertThat(chat.to("carol@example.com")).isEmpty();
        withdraw(id, "carol@example.com");
    }

    @Test
    void whileTheSmtpServerIsDownTheEmailWaitsAndIsSentOnceWhenItIsBack() throws Exception {
        smtp.stop();
        chat.doesNotKnow("dave@example.com");
        String id = intake("dave@example.com", "ec2:StartInstances", "333333333333");
        settle();
        smtp = started();
        assertThat(to("dave@example.com")).isEmpty();

        advance(Duration.ofMinutes(5)); // the outbox's retry falls due
        advance(Duration.ofMinutes(5));
        assertThat(to("dave@example.com")).hasSize(1);
        advance(Duration.ofMinutes(30));
        assertThat(to("dave@example.com")).as("sent once, not again by a later retry").hasSize(1);
        withdraw(id, "dave@example.com");
    }
}
