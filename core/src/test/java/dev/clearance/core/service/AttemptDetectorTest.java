package dev.clearance.core.service;

import dev.clearance.core.detect.Caller;
import dev.clearance.core.detect.DeniedCall;
import dev.clearance.core.detect.Verdict;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Detection;
import dev.clearance.core.policy.GlobPattern;
import dev.clearance.core.policy.TestConfigs;
import dev.clearance.core.port.DetectedEvents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** What a denied AWS call becomes: a request, an attempt counted on one, a notice, or nothing (with the reason). */
class AttemptDetectorTest {
    private static final String ACCOUNT = "123456789012";
    private static final String BOB_ARN = "arn:aws:iam::123456789012:user/bob";

    private final InMemoryPorts ports = new InMemoryPorts(withDetection(TestConfigs.config()));
    private final Events events = new Events();
    private final AttemptDetector detector = new AttemptDetector(ports.ctx, ports.service, new RequestQueries(ports.ctx), events);
    private int next;

    static ClearanceConfig withDetection(ClearanceConfig c) {
        Detection detection = new Detection(List.of(GlobPattern.compile("s3:Delete*"), GlobPattern.compile("iam:*")),
                Set.of("sagemaker"), Detection.DEFAULT_DENIAL_CODES.stream().map(GlobPattern::compile).toList(),
                Duration.ofHours(1), Map.of(BOB_ARN, UserEmail.of("bob@example.com")));
        return new ClearanceConfig(c.users(), c.groups(), c.tree(), c.policies(), c.defaultPolicy(), c.intervals(),
                c.unknownAccounts(), c.limits(), detection);
    }

    /** The DetectedEvents port as the database keeps it: one row per event id. */
    static final class Events implements DetectedEvents {
        final Map<String, String[]> rows = new ConcurrentHashMap<>();

        @Override
        public boolean record(String eventId, RequestId request, String outcome, Instant receivedAt) {
            return rows.putIfAbsent(eventId, new String[]{request == null ? null : request.value(), outcome}) == null;
        }

        @Override
        public boolean seen(String eventId) {
            return rows.containsKey(eventId);
        }

        @Override
        public int attemptsOn(RequestId request) {
            return (int) rows.values().stream().filter(r -> request.value().equals(r[0]) && r[1].equals("counted")).count();
        }
    }

    private static Caller aliceSession() {
        return new Caller(Caller.Kind.IDENTITY_CENTER, Optional.of(UserEmail.of("alice@example.com")),
                "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice@example.com",
                "AWSReservedSSO_ReadOnly_0123456789abcdef/alice@example.com");
    }

    private DeniedCall denied(Caller caller, String action, String code) {
        return new DeniedCall("ev-" + (++next), ports.clock.instant(), caller, action, ACCOUNT, "eu-west-1",
                Optional.of("arn:aws:s3:::audit-logs"), Optional.ofNullable(code));
    }

    private List<AccessRequest> requests() {
        return ports.store.search(new dev.clearance.core.port.RequestQuery(Set.of(Status.values()), Optional.empty(),
                Optional.empty(), 0, 100)).items();
    }

    @Test
    void aDeniedProtectedPermissionOpensARequestAndPromptsTheRequester() {
        DeniedCall call = denied(aliceSession(), "s3:DeleteBucket", "AccessDenied");
        Verdict v = detector.handle(call, ports.clock.instant());

        assertThat(v).isInstanceOf(Verdict.Opened.class);
        AccessRequest r = ports.store.find(((Verdict.Opened) v).request()).orElseThrow();
        assertThat(r.requester().value()).isEqualTo("alice@example.com");
        assertThat(r.resource()).isEqualTo("s3:DeleteBucket");
        assertThat(r.status()).isEqualTo(Status.REQUESTED);
        assertThat(r.source()).startsWith("cloudtrail: s3:DeleteBucket denied on arn:aws:s3:::audit-logs in eu-west-1 at ")
                .endsWith("(event " + call.eventId() + ")");
        assertThat(r.history().get(0).origin()).satisfies(o -> {
            assertThat(o.channel()).isEqualTo("cloudtrail");
            assertThat(o.principal()).startsWith(call.eventId() + " AWSReservedSSO_ReadOnly");
        });
        assertThat(ports.messagesTo("alice@example.com")).extracting(OutboundMessage::kind)
                .containsExactly(NotificationKind.JUSTIFICATION_PROMPT);
    }

    @Test
    void theSameEventDeliveredTwiceMakesOneRequest() {
        DeniedCall call = denied(aliceSession(), "s3:DeleteObject", "AccessDenied");
        Verdict first = detector.handle(call, ports.clock.instant());
        Verdict again = detector.handle(call, ports.clock.instant());
        assertThat(first).isInstanceOf(Verdict.Opened.class);
        assertThat(again).isInstanceOf(Verdict.Duplicate.class);
        assertThat(requests()).hasSize(1);
    }

    @Test
    void aThousandAttemptsMakeOneRequestAndAreCountedOnIt() {
        Verdict last = null;
        for (int i = 0; i < 1000; i++) {
            last = detector.handle(denied(aliceSession(), "iam:CreateUser", "AccessDenied"), ports.clock.instant());
        }
        assertThat(requests()).hasSize(1);
        assertThat(last).isInstanceOfSatisfying(Verdict.Counted.class, c -> assertThat(c.attempts()).isEqualTo(999));
        long refreshes = ports.outbox.stream().filter(m -> m.kind() == NotificationKind.REFRESH_COPIES).count();
        assertThat(refreshes).as("copies refreshed on a thinning schedule, not 999 times").isLessThan(20);
    }

    @Test
    void aRedeliveryAfterACrashBetweenIntakeAndItsRecordOpensNothingMoreAndCountsNothing() {
        DeniedCall call = denied(aliceSession(), "s3:DeleteBucketPolicy", "AccessDenied");
        detector.handle(call, ports.clock.instant());
        events.rows.clear(); // the event's record was lost with the crash; the request (and its idempotency key) was not
        Verdict again = detector.handle(call, ports.clock.instant());
        assertThat(again).isInstanceOf(Verdict.Opened.class);
        assertThat(requests()).hasSize(1);
        assertThat(events.attemptsOn(((Verdict.Opened) again).request())).isZero();
    }

    @Test
    void callsThatAreNotProtectedDeniedOrMappedAreIgnoredWithTheReason() {
        assertThat(detector.handle(denied(aliceSession(), "s3:DeleteBucket", null), ports.clock.instant()))
                .isEqualTo(new Verdict.Ignored("succeeded", "the call succeeded"));
        assertThat(detector.handle(denied(aliceSession(), "s3:DeleteBucket", "ThrottlingException"), ports.clock.instant()))
                .isInstanceOfSatisfying(Verdict.Ignored.class, i -> assertThat(i.reason()).isEqualTo("not-a-denial"));
        assertThat(detector.handle(denied(aliceSession(), "s3:GetObject", "AccessDenied"), ports.clock.instant()))
                .isInstanceOfSatisfying(Verdict.Ignored.class, i -> assertThat(i.why()).isEqualTo("s3:GetObject is not among detection.protected"));
        Caller role = new Caller(Caller.Kind.ROLE, Optional.empty(), "arn:aws:sts::123456789012:assumed-role/deployer/ci", "deployer/ci");
        assertThat(detector.handle(denied(role, "iam:CreateUser", "AccessDenied"), ports.clock.instant()))
                .isInstanceOfSatisfying(Verdict.Ignored.class, i -> assertThat(i.reason()).isEqualTo("unmapped-identity"));
        assertThat(requests()).isEmpty();
    }

    @Test
    void anEc2UnauthorizedOperationCountsAsADenial() {
        Verdict v = detector.handle(denied(aliceSession(), "iam:PassRole", "Client.UnauthorizedOperation"), ports.clock.instant());
        assertThat(v).isInstanceOf(Verdict.Opened.class);
    }

    @Test
    void aMappedIamUserIsThePersonTheFileNames() {
        Caller bob = new Caller(Caller.Kind.IAM_USER, Optional.empty(), BOB_ARN, "bob");
        Verdict v = detector.handle(denied(bob, "iam:DeleteRole", "AccessDenied"), ports.clock.instant());
        assertThat(v).isInstanceOf(Verdict.Opened.class);
        assertThat(ports.store.find(((Verdict.Opened) v).request()).orElseThrow().requester().value()).isEqualTo("bob@example.com");
    }

    @Test
    void aDisabledServiceSendsItsNoticeOnceADayPerPersonServiceAndAccount() {
        for (int i = 0; i < 5; i++) {
            assertThat(detector.handle(denied(aliceSession(), "sagemaker:CreateNotebookInstance", "AccessDeniedException"),
                    ports.clock.instant())).isInstanceOf(Verdict.Noticed.class);
        }
        assertThat(ports.messagesTo("alice@example.com")).extracting(OutboundMessage::kind).containsExactly(NotificationKind.SERVICE_DISABLED);
        ports.advance(Duration.ofDays(1));
        detector.handle(denied(aliceSession(), "sagemaker:ListModels", "AccessDeniedException"), ports.clock.instant());
        assertThat(ports.messagesTo("alice@example.com")).hasSize(2);
        assertThat(requests()).isEmpty();
    }

    @Test
    void afterADenialAttemptsOpenNothingNewUntilTheCooldownIsOver() {
        Verdict opened = detector.handle(denied(aliceSession(), "s3:DeleteBucket", "AccessDenied"), ports.clock.instant());
        RequestId id = ((Verdict.Opened) opened).request();
        ports.service.justify(new Commands.Justify(id, UserEmail.of("alice@example.com"), "cleanup", Optional.empty(),
                dev.clearance.core.model.Origin.api("test")));
        ports.service.decide(new Commands.Decide(id, UserEmail.of("sec1@example.com"), "deny", "no", Optional.empty(),
                dev.clearance.core.model.Origin.api("test")));
        assertThat(detector.handle(denied(aliceSession(), "s3:DeleteBucket", "AccessDenied"), ports.clock.instant()))
                .isInstanceOfSatisfying(Verdict.Ignored.class, i -> assertThat(i.reason()).isEqualTo("after-denial"));
        ports.advance(Duration.ofMinutes(61));
        assertThat(detector.handle(denied(aliceSession(), "s3:DeleteBucket", "AccessDenied"), ports.clock.instant()))
                .isInstanceOf(Verdict.Opened.class);
    }

    @Test
    void theDryRunNamesThePolicyAndApproversAndStoresNothing() {
        AttemptDetector.Explanation e = detector.explain(denied(aliceSession(), "s3:DeleteBucket", "AccessDenied"));
        assertThat(e.plan()).isInstanceOf(AttemptDetector.Plan.Request.class);
        assertThat(e.preview()).hasValueSatisfying(p -> {
            assertThat(p.policy()).isEqualTo("prod-delete");
            assertThat(p.steps().get(0).approvers()).contains("sec1@example.com");
        });
        assertThat(requests()).isEmpty();
        assertThat(events.rows).isEmpty();
        assertThat(ports.outbox).isEmpty();
    }

    @Test
    void underAPolicyWithJustificationOffADetectedAttemptGoesStraightToItsApprovers() {
        ClearanceConfig base = withDetection(TestConfigs.config());
        dev.clearance.core.policy.Policy p = base.defaultPolicy();
        ClearanceConfig off = new ClearanceConfig(base.users(), base.groups(), base.tree(), base.policies(),
                new dev.clearance.core.policy.Policy(p.name(), p.resource(), p.account(), p.maxDuration(),
                        p.selfApprovalAllowed(), p.steps(), p.grant(), p.maxTotalDuration(), false),
                base.intervals(), base.unknownAccounts(), base.limits(), base.detection());
        InMemoryPorts quiet = new InMemoryPorts(off);
        AttemptDetector d = new AttemptDetector(quiet.ctx, quiet.service, new RequestQueries(quiet.ctx), new Events());
        Verdict v = d.handle(new DeniedCall("ev-off", quiet.clock.instant(), aliceSession(), "iam:CreateUser", ACCOUNT,
                "eu-west-1", Optional.empty(), Optional.of("AccessDenied")), quiet.clock.instant());

        AccessRequest r = quiet.store.find(((Verdict.Opened) v).request()).orElseThrow();
        assertThat(r.status()).as("no justification asked").isEqualTo(Status.PENDING);
        assertThat(r.history().get(0).reason()).isEqualTo("requested; policy 'default' asks for no justification");
        assertThat(quiet.messagesTo("alice@example.com")).extracting(OutboundMessage::kind)
                .containsExactly(NotificationKind.REQUEST_SUBMITTED);
        assertThat(quiet.messagesTo("pat@example.com")).extracting(OutboundMessage::kind)
                .containsExactly(NotificationKind.APPROVAL_REQUEST);
        // the approver still chooses the duration: the policy's maximum unless they say otherwise
        assertThat(r.requestedDuration()).isEqualTo(p.maxDuration());
    }
}
