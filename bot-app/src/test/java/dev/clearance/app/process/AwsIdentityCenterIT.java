package dev.clearance.app.process;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.FakeIdentityCenter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aws-identity-center provider in the real jar, configured the way an operator does it: the AWS SDK's own
 * environment variables ({@code AWS_ENDPOINT_URL_SSO_ADMIN}, {@code AWS_ENDPOINT_URL_IDENTITYSTORE}, region and keys)
 * point it at a stateful fake of IAM Identity Center. The process is killed (kill -9) while the assignment it asked
 * for is still being created; the restarted process polls that creation on and never creates a second one.
 */
class AwsIdentityCenterIT {
    private static final String ACCOUNT = "123456789012"; // org/prod in short-intervals-aws.yml: pat approves
    private static final String PS = "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-0000000000000000";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void killedWhileTheAssignmentIsBeingCreatedTheRestartPollsItOnWithoutASecondCreate(String database) throws Exception {
        Path dir = Path.of("target", "aws-identity-center", database + "-" + UUID.randomUUID());
        TestTarget db = DurabilityCrashIT.target(database, dir);
        FakeIdentityCenter aws = new FakeIdentityCenter().startServer().user("ann@example.com", "user-ann");
        try {
            Map<String, String> env = Map.of(
                    "CLEARANCE_ACCESS_PROVIDER", "aws-identity-center",
                    "AWS_ENDPOINT_URL_SSO_ADMIN", aws.url(),
                    "AWS_ENDPOINT_URL_IDENTITYSTORE", aws.url(),
                    "AWS_REGION", "eu-west-1",
                    "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                    "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
            String[] args = {"--clearance.config=" + Path.of("src/test/resources/aws/short-intervals-aws.yml").toAbsolutePath(),
                    "--clearance.access-provider.aws.poll-interval=100ms", "--clearance.access-provider.aws.polls=3"};
            aws.inProgressPolls(1_000_000); // the creation does not end while the first process lives

            String id;
            try (ChildApp first = ChildApp.start(database + "-1", db, dir, env, args)) {
                ApiClient api = first.api();
                ApiClient.Response intake = api.post("/api/v1/requests", "{\"requester\":\"ann@example.com\",\"resource\":"
                        + "\"ec2:StartInstances\",\"account\":\"" + ACCOUNT + "\",\"justification\":\"INC-7\",\"duration\":\"1h\"}");
                assertThat(intake.status()).as(intake.raw()).isEqualTo(201);
                id = intake.text("id");
                ApiClient.Response approve = api.post("/api/v1/requests/" + id + "/decisions",
                        "{\"approver\":\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"on call\"}");
                assertThat(approve.status()).as(approve.raw()).isEqualTo(200);
                await(() -> aws.creates().size() == 1, "the first process asked for the assignment; see " + first.log());
                // killed once the creation is polled, so its request id is recorded (the ledger commits it before the
                // first poll): from there on a restart must poll, not create
                await(() -> aws.creationPolls() > 0, "the first process polled the creation; see " + first.log());
                first.kill();
            }
            assertThat(aws.assigned(ACCOUNT, PS, "user-ann")).isFalse();

            aws.finishAll();
            aws.inProgressPolls(1); // from now on, creations and deletions end at their second poll
            try (ChildApp second = ChildApp.start(database + "-2", db, dir, env, args)) {
                String granted = id;
                await(() -> "ACTIVE".equals(second.api().get("/api/v1/requests/" + granted).body().at("/grant/state").asString()),
                        "the restarted process finished the grant; see " + second.log());
                assertThat(aws.creates()).as("CreateAccountAssignment calls").hasSize(1);
                assertThat(aws.assigned(ACCOUNT, PS, "user-ann")).isTrue();
                assertThat(second.api().get("/api/v1/requests/" + id).body().at("/grant/providerReference").asString())
                        .startsWith("grant: assignment creation create-");

                ApiClient.Response revoke = second.api().post("/api/v1/requests/" + id + "/revoke",
                        "{\"actor\":\"root@example.com\",\"reason\":\"done\"}");
                assertThat(revoke.status()).as(revoke.raw()).isEqualTo(200);
                await(() -> "ENDED".equals(second.api().get("/api/v1/requests/" + granted).text("status")),
                        "the revocation ended the request; see " + second.log());
                assertThat(aws.deletes()).as("DeleteAccountAssignment calls").hasSize(1);
                assertThat(aws.assigned(ACCOUNT, PS, "user-ann")).isFalse();
                second.terminate();
                assertThat(second.awaitExit(Duration.ofSeconds(60))).isZero();
            }
        } finally {
            aws.stopServer();
        }
    }

    /** A bounded wait for something the child process does in its own time. */
    private static void await(BooleanSupplier done, String what) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            ChildApp.pause(100);
        }
    }
}
