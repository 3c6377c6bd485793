package dev.clearance.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.MutableClock;
import dev.clearance.app.timers.DueTimers;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.service.NotificationDelivery;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Email as the only channel (no chat platform configured), against a real SMTP server (GreenMail): every kind of
 * notification is mailed once with the right link, and neither a restart nor an SMTP outage across a restart sends
 * anything twice.
 */
class MailDeliveryTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private static final String PUBLIC_URL = "https://clearance.example.com";
    private static final UserEmail PAT = UserEmail.of("pat@example.com");
    private final String run = UUID.randomUUID().toString();
    private final String dataDir = "./target/test-data/mail-" + run;
    private final int smtpPort = freePort();
    private GreenMail smtp = startedSmtp();

    @Configuration(proxyBeanMethods = false)
    static class SharedClock {
        @Bean
        @Primary
        MutableClock mailClock() {
            return CLOCK;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private GreenMail startedSmtp() {
        GreenMail g = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(ClearanceApplication.class, SharedClock.class).run(
                "--server.port=0",
                "--clearance.config=src/test/resources/mail/clearance-mail.yml",
                "--clearance.api.tokens=" + ApiClient.TOKEN,
                "--clearance.data-dir=" + dataDir,
                "--clearance.outbox.poll-interval=0",
                "--clearance.chat.log.enabled=false",
                "--clearance.mail.smtp-host=127.0.0.1",
                "--clearance.mail.smtp-port=" + smtpPort,
                "--clearance.mail.from=clearance@example.com",
                "--clearance.public-url=" + PUBLIC_URL,
                "--spring.quartz.auto-startup=false",
                "--spring.quartz.scheduler-name=clearance-mail-" + run);
    }

    private static ApiClient api(ConfigurableApplicationContext ctx) {
        return new ApiClient(Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port")));
    }

    /** Fires due timers and delivers the outbox until nothing is left to do now. */
    private static void settle(ConfigurableApplicationContext ctx) {
        DueTimers timers = ctx.getBean(DueTimers.class);
        NotificationDelivery delivery = ctx.getBean(NotificationDelivery.class);
        do {
            timers.fireDue();
        } while (delivery.drain() > 0);
    }

    /** Moves the clock in steps (so retries and timers fall due on the way), settling after each. */
    private static void advance(ConfigurableApplicationContext ctx, Duration total, Duration step) {
        for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(step)) {
            CLOCK.advance(step);
            settle(ctx);
        }
    }

    private List<MimeMessage> mailTo(UserEmail who) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equals(who.value()));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static OutboundMessage toPat(NotificationKind kind, Optional<RequestId> request, String key) {
        return new OutboundMessage(kind, request, Optional.of(PAT), key, Map.of("reason", "timebox of 2h over",
                "error", "HTTP 500", "service", "sagemaker", "account", "210987654321",
                "requester", "mallory@example.com", "resource", "ec2:StopInstances"));
    }

    private static boolean requestless(NotificationKind kind) {
        return kind == NotificationKind.SERVICE_DISABLED || kind == NotificationKind.CANNOT_GRANT
                || kind == NotificationKind.ADMIN_CANNOT_GRANT;
    }

    @Test
    void everyKindIsMailedOnceWithItsLinkAndARestartSendsNothingAgain() throws Exception {
        CLOCK.set(Instant.parse("2026-03-02T09:00:00Z"));
        Set<NotificationKind> live = EnumSet.of(NotificationKind.JUSTIFICATION_PROMPT, NotificationKind.APPROVAL_REQUEST,
                NotificationKind.EXPIRY_NOTICE);
        List<NotificationKind> kinds = new ArrayList<>(EnumSet.complementOf(EnumSet.of(NotificationKind.REFRESH_COPIES)));
        String id;
        try (ConfigurableApplicationContext app = start()) {
            ApiClient api = api(app);
            Outbox outbox = app.getBean(Outbox.class);
            id = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":\"ec2:StopInstances\","
                    + "\"account\":\"210987654321\"}").text("id");
            Optional<RequestId> request = Optional.of(new RequestId(id));
            // each kind when it is current (a prompt while a justification is awaited, and so on: stale ones are dropped)
            for (NotificationKind kind : kinds) {
                if (!live.contains(kind) || kind == NotificationKind.JUSTIFICATION_PROMPT) {
                    outbox.enqueue(toPat(kind, requestless(kind) ? Optional.empty() : request, "every-kind-" + kind));
                }
            }
            settle(app);
            api.post("/api/v1/requests/" + id + "/justification",
                    "{\"actor\":\"alice@example.com\",\"justification\":\"patching\",\"duration\":\"1h\"}");
            outbox.enqueue(toPat(NotificationKind.APPROVAL_REQUEST, request, "every-kind-APPROVAL_REQUEST"));
            settle(app);
            api.post("/api/v1/requests/" + id + "/decisions",
                    "{\"approver\":\"olga@example.com\",\"decision\":\"approve\",\"reason\":\"ok\"}");
            settle(app);
            assertThat(api.get("/api/v1/requests/" + id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
            outbox.enqueue(toPat(NotificationKind.EXPIRY_NOTICE, request, "every-kind-EXPIRY_NOTICE"));
            settle(app);
        }

        List<MimeMessage> toPat = mailTo(PAT);
        assertThat(toPat).hasSize(kinds.size());
        Set<String> subjects = new HashSet<>();
        Set<String> messageIds = new HashSet<>();
        int linked = 0;
        for (MimeMessage m : toPat) {
            subjects.add(m.getSubject());
            messageIds.add(m.getMessageID());
            String body = GreenMailUtil.getBody(m);
            if (body.contains(PUBLIC_URL + "/requests/" + id)) {
                linked++;
            } else {
                assertThat(body).as(m.getSubject()).doesNotContain("/requests/");
            }
        }
        assertThat(messageIds).as("one Message-ID each").hasSize(kinds.size());
        assertThat(subjects).as("each kind says what it is").hasSize(kinds.size());
        assertThat(linked).as("every mail about a request links to its page")
                .isEqualTo(kinds.stream().filter(k -> !requestless(k)).count());
        int everyone = smtp.getReceivedMessages().length;

        // a restart: the outbox knows what it sent, and nothing is sent again, however long it runs
        try (ConfigurableApplicationContext again = start()) {
            settle(again);
            advance(again, Duration.ofHours(2), Duration.ofMinutes(15));
            assertThat(api(again).get("/api/v1/requests/" + id).body().at("/status").asString()).isEqualTo("ENDED");
        }
        assertThat(mailTo(PAT)).as("nothing to pat again after the restart").hasSize(kinds.size());
        assertThat(smtp.getReceivedMessages().length - everyone)
                .as("after the restart only the access's end is news: to alice, once").isEqualTo(1);
    }

    @Test
    void anEmailThatCouldNotBeSentBeforeARestartIsSentOnceAfterIt() throws Exception {
        CLOCK.set(Instant.parse("2026-03-05T09:00:00Z"));
        try (ConfigurableApplicationContext app = start()) {
            smtp.stop();
            app.getBean(Outbox.class).enqueue(toPat(NotificationKind.SERVICE_DISABLED, Optional.empty(), "across-a-restart"));
            settle(app);
            assertThat(app.getBean(Outbox.class).backlog()).as("kept for a retry").isEqualTo(1);
        }
        smtp = startedSmtp();
        try (ConfigurableApplicationContext again = start()) {
            advance(again, Duration.ofMinutes(30), Duration.ofMinutes(1));
            assertThat(again.getBean(Outbox.class).backlog()).isZero();
        }
        assertThat(mailTo(PAT)).singleElement().satisfies(m -> assertThat(m.getSubject()).contains("sagemaker"));
    }
}
