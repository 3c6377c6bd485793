package dev.clearance.app;

import dev.clearance.adapters.access.aws.IdentityCenterAccessProvider;
import dev.clearance.adapters.access.aws.IdentityCenterSettings;
import dev.clearance.app.access.JdbcAssignmentLedger;
import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import dev.clearance.app.support.FakeIdentityCenter;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The aws-identity-center provider in the whole application, against a stateful fake of IAM Identity Center reached
 * through the AWS SDK's own settings ({@code aws.endpointUrl}, region and keys as system properties: the twins of
 * {@code AWS_ENDPOINT_URL}, {@code AWS_REGION} and the key variables). Each test uses its own person, so that the
 * assignments of one test are not another's.
 */
class AwsIdentityCenterTest extends AppTestBase {
    static final String PS_DEFAULT = "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-0000000000000000";
    static final String SANDBOX = "333333333333"; // scope org/sandbox, default policy: olga or bob approve
    static final FakeIdentityCenter AWS = new FakeIdentityCenter().startServer();

    static {
        System.setProperty("aws.endpointUrl", AWS.url());
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    }

    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    dev.clearance.core.service.LifecycleTimers timers;
    @Autowired
    dev.clearance.core.service.Reconciliation reconciliation;

    @DynamicPropertySource
    static void identityCenter(DynamicPropertyRegistry registry) {
        registry.add("clearance.config", () -> "src/test/resources/aws/clearance-aws.yml");
        registry.add("clearance.access-provider.type", () -> "aws-identity-center");
        registry.add("clearance.access-provider.aws.poll-interval", () -> "1ms");
    }

    @AfterAll
    static void stop() {
        for (String p : new String[]{"aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey"}) {
            System.clearProperty(p);
        }
        AWS.stopServer();
    }

    private String approved(String requester, String resource, String duration) {
        String id = intake(requester, resource, SANDBOX);
        assertThat(justify(id, requester, duration).status()).isEqualTo(200);
        assertThat(decide(id, "olga@example.com", "approve").status()).isEqualTo(200);
        settle();
        return id;
    }

    private long creates(String userId) {
        return AWS.creates().stream().filter(c -> c.path("PrincipalId").asString().equals(userId)).count();
    }

    private long deletes(String userId) {
        return AWS.deletes().stream().filter(c -> c.path("PrincipalId").asString().equals(userId)).count();
    }

    @Test
    void anApprovedRequestCreatesExactlyOneAssignmentAndItsEndDeletesExactlyThatOne() {
        AWS.user("ann@example.com", "user-ann");
        String id = approved("ann@example.com", "ec2:StartInstances", "1h");

        JsonNode granted = get(id).body();
        assertThat(granted.at("/grant/state").asString()).isEqualTo("ACTIVE");
        assertThat(AWS.creates()).filteredOn(c -> c.path("PrincipalId").asString().equals("user-ann")).singleElement()
                .satisfies(c -> {
                    assertThat(c.path("TargetId").asString()).isEqualTo(SANDBOX);
                    assertThat(c.path("PermissionSetArn").asString()).isEqualTo(PS_DEFAULT);
                    assertThat(c.path("InstanceArn").asString()).isEqualTo(FakeIdentityCenter.INSTANCE);
                });
        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-ann")).isTrue();
        assertThat(granted.at("/grant/providerReference").asString()).startsWith("grant: assignment creation create-");
        assertThat(chat.latest("ann@example.com", NotificationKind.ACCESS_GRANTED, id)).isPresent();

        advance(Duration.ofHours(1));

        JsonNode ended = get(id).body();
        assertThat(ended.get("status").asString()).isEqualTo("ENDED");
        assertThat(deletes("user-ann")).isEqualTo(1);
        assertThat(AWS.deletes()).filteredOn(c -> c.path("PrincipalId").asString().equals("user-ann")).singleElement()
                .satisfies(d -> assertThat(d.path("PermissionSetArn").asString()).isEqualTo(PS_DEFAULT));
        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-ann")).isFalse();
        assertThat(ended.at("/grant/providerReference").asString()).contains("; revoke: assignment deletion delete-");
        assertThat(creates("user-ann")).isEqualTo(1);
    }

    @Test
    void standingAccessIsLeftInPlaceAndTheAuditSaysSo() {
        AWS.user("stan@example.com", "user-stan");
        AWS.assign(SANDBOX, PS_DEFAULT, "user-stan");
        String id = approved("stan@example.com", "ec2:StopInstances", "1h");
        advance(Duration.ofHours(1));

        JsonNode ended = get(id).body();
        assertThat(ended.get("status").asString()).isEqualTo("ENDED");
        assertThat(ended.get("audit").toString()).contains("had this assignment before this grant")
                .contains("left in place: the user had this assignment before Clearance granted it");
        assertThat(creates("user-stan")).isZero();
        assertThat(deletes("user-stan")).isZero();
        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-stan")).isTrue();
    }

    @Test
    void overlappingGrantsOfTheSameAssignmentAreEndedOnceByTheLast() {
        AWS.user("olivia@example.com", "user-olivia");
        String first = approved("olivia@example.com", "ec2:RebootInstances", "1h");
        String second = approved("olivia@example.com", "ec2:DescribeInstances", "4h");
        assertThat(creates("user-olivia")).isEqualTo(1);

        advance(Duration.ofHours(1));
        assertThat(status(first)).isEqualTo("ENDED");
        assertThat(get(first).body().get("audit").toString()).contains("left in place: request " + second + " still holds it");
        assertThat(deletes("user-olivia")).isZero();
        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-olivia")).isTrue();

        advance(Duration.ofHours(3));
        assertThat(status(second)).isEqualTo("ENDED");
        assertThat(deletes("user-olivia")).isEqualTo(1);
        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-olivia")).isFalse();
    }

    @Test
    void someoneWithNoIdentityCenterUserIsRefusedBeforeAnyoneApprovesAndAdminsAreTold() {
        int createsBefore = AWS.creates().size();
        ApiClient.Response preview = api.get("/api/v1/policies/resolve?requester=nouser@example.com&resource=ec2:StartInstances&account=" + SANDBOX);
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.body().get("cannotGrant").asString()).contains("no IAM Identity Center user has userName = nouser@example.com");

        ApiClient.Response refused = api.post("/api/v1/requests", "{\"requester\":\"nouser@example.com\",\"resource\":"
                + "\"ec2:StartInstances\",\"account\":\"" + SANDBOX + "\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("field").asString()).isEqualTo("requester");
        assertThat(refused.raw()).contains("cannot be granted: no IAM Identity Center user");
        settle();

        assertThat(chat.to("nouser@example.com")).extracting(m -> m.kind()).containsExactly(NotificationKind.CANNOT_GRANT);
        assertThat(chat.to("root@example.com")).filteredOn(m -> m.kind() == NotificationKind.ADMIN_CANNOT_GRANT)
                .singleElement().satisfies(m -> assertThat(m.text()).contains("nouser@example.com"));
        assertThat(api.get("/api/v1/requests?requester=nouser@example.com").body().get("total").asLong()).isZero();
        assertThat(AWS.creates()).hasSize(createsBefore);
    }

    @Test
    void aRestartBetweenCreateAndSucceededResumesPollingWithoutASecondCreate() throws Exception {
        AWS.user("rita@example.com", "user-rita");
        AWS.inProgressPolls(3);
        try {
            AccessGrant grant = new AccessGrant(new RequestId("REQ-RESTART001"), UserEmail.of("rita@example.com"), "ec2:*",
                    SANDBOX, ScopePath.of("org/sandbox"), Optional.empty(), "REQ-RESTART001:grant", "default",
                    Map.of("permission-set", PS_DEFAULT));
            IdentityCenterSettings twoPolls = new IdentityCenterSettings(Optional.empty(), Optional.empty(), "userName",
                    Duration.ofMillis(1), 2);
            // the first instance asks AWS and stops polling before the creation ends (as if it died there)
            IdentityCenterAccessProvider before = IdentityCenterAccessProvider.fromEnvironment(
                    new JdbcAssignmentLedger(jdbc, transactions, clock), twoPolls, clock);
            assertThatThrownBy(() -> before.grant(grant)).isInstanceOf(AccessProviderException.class)
                    .hasMessageContaining("still in progress");

            // the next one reads the database's ledger afresh and polls the same creation
            IdentityCenterAccessProvider after = IdentityCenterAccessProvider.fromEnvironment(
                    new JdbcAssignmentLedger(jdbc, transactions, clock), twoPolls, clock);
            assertThat(after.grant(grant).reference()).hasValueSatisfying(r -> assertThat(r).startsWith("assignment creation create-"));
            assertThat(creates("user-rita")).isEqualTo(1);
            assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-rita")).isTrue();

            AWS.inProgressPolls(1);
            after.revoke(grant);
            assertThat(deletes("user-rita")).isEqualTo(1);
        } finally {
            AWS.inProgressPolls(1);
        }
    }

    /**
     * The first finding: a give-back while the grant is still looking the user up. The revoke waits for the
     * grant's outcome (it used to find no ledger entry, end the request, and let the grant create an assignment that
     * nothing ever deleted).
     */
    @Test
    void aGiveBackWhileTheGrantLooksUpTheUserRemovesTheAssignmentTheGrantThenMakes() throws Exception {
        AWS.user("gina@example.com", "user-gina");
        String id = intake("gina@example.com", "ec2:GetConsoleOutput", SANDBOX);
        assertThat(justify(id, "gina@example.com", "1h").status()).isEqualTo(200);
        assertThat(decide(id, "olga@example.com", "approve").status()).isEqualTo(200);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AWS.holdUserLookups(release);
        java.util.concurrent.Future<?> granting;
        try {
            granting = java.util.concurrent.Executors.newSingleThreadExecutor().submit(() -> dueTimers.fireDue());
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (AWS.lookupsWaiting() == 0) {
                assertThat(System.nanoTime()).as("the grant is looking the user up").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(api.post("/api/v1/requests/" + id + "/cancel", "{\"actor\":\"gina@example.com\"}").status()).isEqualTo(200);
            assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("REVOKING");
            clock.set(clock.instant().plus(Duration.ofMinutes(2)));
            timers.fire(new RequestId(id), dev.clearance.core.port.TimerKind.REVOKE, clock.instant());
            assertThat(deletes("user-gina")).isZero();
            assertThat(status(id)).as("not ended while the grant is in flight").isEqualTo("APPROVED");
        } finally {
            AWS.holdUserLookups(null);
            release.countDown();
        }
        granting.get(20, java.util.concurrent.TimeUnit.SECONDS);
        settle();

        assertThat(creates("user-gina")).isEqualTo(1);
        assertThat(deletes("user-gina")).isEqualTo(1);
        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-gina")).isFalse();
        assertThat(status(id)).isEqualTo("ENDED");
    }

    /**
     * The second finding: a creation still IN_PROGRESS after every attempt's polls, declared failed, that
     * completes afterwards. Reconciliation asks AWS, waits for the creation, and deletes it; the admins are told.
     */
    @Test
    void aCreationThatCompletesAfterTheGrantWasDeclaredFailedIsDeletedByReconciliation() {
        AWS.user("fred@example.com", "user-fred");
        AWS.inProgressPolls(100_000);
        String id;
        try {
            id = approved("fred@example.com", "ec2:GetPasswordData", "1h");
            for (int i = 0; i < 60 && !status(id).equals("ENDED"); i++) {
                advance(Duration.ofMinutes(1));
            }
            JsonNode failed = get(id).body();
            assertThat(failed.at("/grant/state").asString()).isEqualTo("FAILED");
            assertThat(chat.to("root@example.com", id)).filteredOn(m -> m.kind() == NotificationKind.ADMIN_GRANT_FAILED)
                    .singleElement().satisfies(m -> assertThat(m.text()).contains("may have been granted anyway"));
            assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-fred")).isFalse();
        } finally {
            AWS.inProgressPolls(1);
        }
        AWS.finishAll(); // the slow creation finally succeeds
        advance(Duration.ofMinutes(6));

        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-fred")).isFalse();
        assertThat(creates("user-fred")).isEqualTo(1);
        assertThat(deletes("user-fred")).isEqualTo(1);
        assertThat(get(id).body().get("audit").toString()).contains("reconciliation found assignment of " + PS_DEFAULT
                + " on " + SANDBOX + " for user user-fred (made by Clearance) at provider 'aws-identity-center' although"
                + " the request is ended, its grant declared failed; removed");
        assertThat(chat.to("root@example.com", id)).extracting(m -> m.kind()).contains(NotificationKind.ADMIN_LEFTOVER_REMOVED);
    }

    @Test
    void reconcilingEverythingLeavesActiveAndStandingAssignmentsAlone() throws Exception {
        AWS.user("vera@example.com", "user-vera");
        AWS.user("sid@example.com", "user-sid");
        AWS.assign(SANDBOX, PS_DEFAULT, "user-sid"); // standing access
        String active = approved("vera@example.com", "ec2:DescribeVolumes", "4h");
        String standing = approved("sid@example.com", "ec2:DescribeVolumes", "4h");
        int deletesBefore = AWS.deletes().size();

        dev.clearance.core.service.Reconciliation.Report report = reconciliation.reconcileAll();

        assertThat(report.removed()).isZero();
        assertThat(AWS.deletes()).hasSize(deletesBefore);
        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-vera")).isTrue();
        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-sid")).isTrue();
        withdraw(active, "vera@example.com");
        withdraw(standing, "sid@example.com");
        assertThat(AWS.assigned(SANDBOX, PS_DEFAULT, "user-sid")).as("standing access is never removed").isTrue();
    }
}
