package dev.clearance.adapters.access.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import dev.clearance.core.port.ProviderResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider against WireMock playing the two AWS JSON 1.1 services (SSO Admin: {@code SWBExternalService.*},
 * Identity Store: {@code AWSIdentityStore.*}), reached the way production reaches AWS: the SDK's default chains, with
 * {@code aws.endpointUrl} (the system-property twin of {@code AWS_ENDPOINT_URL}) pointing at the fake.
 */
class IdentityCenterAccessProviderTest {
    static final String INSTANCE = "arn:aws:sso:::instance/ssoins-1111222233334444";
    static final String STORE = "d-9067000000";
    static final String PS = "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd";
    static final String ACCOUNT = "123456789012";
    static final String USER = "9067abcd-1111-2222-3333-444455556666";
    static final WireMockServer AWS = new WireMockServer(options().dynamicPort());
    private static final Map<String, String> SAVED = new java.util.HashMap<>();

    private final InMemoryAssignmentLedger ledger = new InMemoryAssignmentLedger();
    private final List<Duration> pauses = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T09:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void pointTheSdkAtTheFake() {
        AWS.start();
        for (var e : Map.of("aws.endpointUrl", AWS.baseUrl(), "aws.region", "eu-west-1", "aws.accessKeyId", "AKIDEXAMPLE",
                "aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").entrySet()) {
            SAVED.put(e.getKey(), System.getProperty(e.getKey()));
            System.setProperty(e.getKey(), e.getValue());
        }
    }

    @AfterAll
    static void restore() {
        SAVED.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        AWS.stop();
    }

    @BeforeEach
    void oneInstanceAndAlice() {
        AWS.resetAll();
        sso("ListInstances", 200, "{\"Instances\":[{\"InstanceArn\":\"" + INSTANCE + "\",\"IdentityStoreId\":\"" + STORE
                + "\",\"Status\":\"ACTIVE\"}]}");
        AWS.stubFor(target("AWSIdentityStore.GetUserId")
                .withRequestBody(equalToJson("{\"IdentityStoreId\":\"" + STORE + "\",\"AlternateIdentifier\":{\"UniqueAttribute\":"
                        + "{\"AttributePath\":\"userName\",\"AttributeValue\":\"alice@example.com\"}}}"))
                .willReturn(json(200, "{\"IdentityStoreId\":\"" + STORE + "\",\"UserId\":\"" + USER + "\"}")));
        AWS.stubFor(target("AWSIdentityStore.GetUserId").atPriority(9)
                .willReturn(json(400, "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"USER not found.\",\"ResourceType\":\"USER\"}")));
        sso("ListAccountAssignments", 200, "{\"AccountAssignments\":[]}");
    }

    @AfterEach
    void noneUnmatched() {
        assertThat(AWS.findAllUnmatchedRequests()).as("requests the fake had no answer for").isEmpty();
    }

    private IdentityCenterAccessProvider provider(int polls) {
        return IdentityCenterAccessProvider.fromEnvironment(ledger, new IdentityCenterSettings(Optional.empty(),
                Optional.empty(), "userName", Duration.ofSeconds(2), polls), clock, pauses::add);
    }

    static AccessGrant grant(String requestId, String email) {
        return new AccessGrant(new RequestId(requestId), UserEmail.of(email), "ec2:*", ACCOUNT, ScopePath.of("org/prod"),
                Optional.of(Instant.parse("2026-11-23T10:00:00Z")), requestId + ":grant", "prod-admin",
                Map.of(PermissionSets.ATTRIBUTE, PS));
    }

    // ------------------------------------------------------------------ the fake's answers

    static MappingBuilder target(String target) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target))
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/"
                        + "(sso|identitystore)/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}"));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    static void sso(String operation, int status, String body) {
        AWS.stubFor(target("SWBExternalService." + operation).willReturn(json(status, body)));
    }

    static String operationStatus(String key, String status, String requestId, String failure) {
        return "{\"" + key + "\":{\"Status\":\"" + status + "\",\"RequestId\":\"" + requestId + "\",\"TargetId\":\"" + ACCOUNT
                + "\",\"TargetType\":\"AWS_ACCOUNT\",\"PermissionSetArn\":\"" + PS + "\",\"PrincipalType\":\"USER\",\"PrincipalId\":\""
                + USER + "\",\"CreatedDate\":1.7637E9" + (failure == null ? "" : ",\"FailureReason\":\"" + failure + "\"") + "}}";
    }

    /** {@code operation} answers each of {@code bodies} in turn, then keeps answering the last. */
    static void inTurn(String operation, String... bodies) {
        for (int i = 0; i < bodies.length; i++) {
            AWS.stubFor(target("SWBExternalService." + operation).inScenario(operation)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : operation + i)
                    .willReturn(json(200, bodies[i]))
                    .willSetStateTo(i == bodies.length - 1 ? operation + i : operation + (i + 1)));
        }
    }

    static void creationAnswers(String... statuses) {
        sso("CreateAccountAssignment", 200, operationStatus("AccountAssignmentCreationStatus", "IN_PROGRESS", "create-1", null));
        inTurn("DescribeAccountAssignmentCreationStatus", java.util.Arrays.stream(statuses)
                .map(s -> operationStatus("AccountAssignmentCreationStatus", s.split(":")[0], "create-1",
                        s.contains(":") ? s.split(":", 2)[1] : null)).toArray(String[]::new));
    }

    static void deletionAnswers(String... statuses) {
        sso("DeleteAccountAssignment", 200, operationStatus("AccountAssignmentDeletionStatus", "IN_PROGRESS", "delete-1", null));
        inTurn("DescribeAccountAssignmentDeletionStatus", java.util.Arrays.stream(statuses)
                .map(s -> operationStatus("AccountAssignmentDeletionStatus", s.split(":")[0], "delete-1",
                        s.contains(":") ? s.split(":", 2)[1] : null)).toArray(String[]::new));
    }

    static List<LoggedRequest> calls(String operation) {
        return AWS.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SWBExternalService." + operation)));
    }

    static final String ASSIGNMENT = "\"InstanceArn\":\"" + INSTANCE + "\",\"TargetId\":\"" + ACCOUNT
            + "\",\"TargetType\":\"AWS_ACCOUNT\",\"PermissionSetArn\":\"" + PS + "\",\"PrincipalType\":\"USER\",\"PrincipalId\":\"" + USER + "\"";

    // ------------------------------------------------------------------ tests

    @Test
    void grantCreatesTheAssignmentPollsUntilSucceededAndRevokeDeletesExactlyThatOne() throws Exception {
        creationAnswers("IN_PROGRESS", "SUCCEEDED");
        deletionAnswers("SUCCEEDED");
        IdentityCenterAccessProvider provider = provider(5);
        assertThat(provider.instanceArn()).isEqualTo(INSTANCE);
        assertThat(provider.identityStoreId()).isEqualTo(STORE);

        ProviderResult granted = provider.grant(grant("REQ-0000000001", "alice@example.com"));

        assertThat(granted.reference()).contains("assignment creation create-1");
        assertThat(calls("CreateAccountAssignment")).singleElement().satisfies(r ->
                assertThat(r.getBodyAsString()).isEqualToIgnoringWhitespace("{" + ASSIGNMENT + "}"));
        assertThat(calls("ListAccountAssignments")).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("\"AccountId\":\"" + ACCOUNT + "\"").contains("\"PermissionSetArn\":\"" + PS + "\""));
        assertThat(calls("DescribeAccountAssignmentCreationStatus")).hasSize(2).allSatisfy(r -> assertThat(r.getBodyAsString())
                .isEqualToIgnoringWhitespace("{\"InstanceArn\":\"" + INSTANCE + "\",\"AccountAssignmentCreationRequestId\":\"create-1\"}"));
        assertThat(pauses).containsExactly(Duration.ofSeconds(2));

        ProviderResult revoked = provider.revoke(grant("REQ-0000000001", "alice@example.com"));

        assertThat(revoked.reference()).contains("assignment deletion delete-1");
        assertThat(calls("DeleteAccountAssignment")).singleElement().satisfies(r ->
                assertThat(r.getBodyAsString()).isEqualToIgnoringWhitespace("{" + ASSIGNMENT + "}"));
        assertThat(calls("DescribeAccountAssignmentDeletionStatus")).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .isEqualToIgnoringWhitespace("{\"InstanceArn\":\"" + INSTANCE + "\",\"AccountAssignmentDeletionRequestId\":\"delete-1\"}"));
        assertThat(calls("CreateAccountAssignment")).hasSize(1);

        // a repeated revoke (its success was not recorded by the caller) deletes nothing more
        assertThat(provider.revoke(grant("REQ-0000000001", "alice@example.com")).reference()).isEmpty();
        assertThat(calls("DeleteAccountAssignment")).hasSize(1);
    }

    @Test
    void aFailedCreationFailsTheAttemptWithAwsReasonAndTheNextAttemptCreatesAgain() throws Exception {
        creationAnswers("FAILED:Received a 404 status error: Not supported account type", "SUCCEEDED");
        IdentityCenterAccessProvider provider = provider(5);

        assertThatThrownBy(() -> provider.grant(grant("REQ-0000000002", "alice@example.com")))
                .isInstanceOf(AccessProviderException.class)
                .hasMessageContaining("could not create the assignment")
                .hasMessageContaining("Not supported account type");
        assertThat(ledger.get(new AssignmentKey(INSTANCE, ACCOUNT, PS, USER)).state()).isEqualTo(Assignment.State.ABSENT);

        assertThat(provider.grant(grant("REQ-0000000002", "alice@example.com")).reference()).contains("assignment creation create-1");
        assertThat(calls("CreateAccountAssignment")).hasSize(2);
    }

    @Test
    void throttlingIsRetriedByTheSdkInsideOneAttempt() throws Exception {
        AWS.stubFor(target("SWBExternalService.CreateAccountAssignment").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(400, "{\"__type\":\"ThrottlingException\",\"Message\":\"Rate exceeded\"}")).willSetStateTo("calm"));
        AWS.stubFor(target("SWBExternalService.CreateAccountAssignment").inScenario("throttle").whenScenarioStateIs("calm")
                .willReturn(json(200, operationStatus("AccountAssignmentCreationStatus", "SUCCEEDED", "create-1", null))));

        ProviderResult granted = provider(5).grant(grant("REQ-0000000003", "alice@example.com"));

        assertThat(granted.reference()).contains("assignment creation create-1");
        assertThat(calls("CreateAccountAssignment")).hasSize(2);
        assertThat(calls("DescribeAccountAssignmentCreationStatus")).as("it succeeded at once: nothing to poll").isEmpty();
    }

    @Test
    void aRevokeThatFailsTwiceIsRetriedUntilItSucceeds() throws Exception {
        creationAnswers("SUCCEEDED");
        deletionAnswers("FAILED:ConflictException: an operation is in progress", "FAILED:Internal failure", "SUCCEEDED");
        IdentityCenterAccessProvider provider = provider(5);
        provider.grant(grant("REQ-0000000004", "alice@example.com"));

        for (String reason : List.of("an operation is in progress", "Internal failure")) {
            assertThatThrownBy(() -> provider.revoke(grant("REQ-0000000004", "alice@example.com")))
                    .isInstanceOf(AccessProviderException.class).hasMessageContaining("could not delete").hasMessageContaining(reason);
        }
        assertThat(provider.revoke(grant("REQ-0000000004", "alice@example.com")).reference()).contains("assignment deletion delete-1");
        assertThat(calls("DeleteAccountAssignment")).hasSize(3);
        assertThat(ledger.get(new AssignmentKey(INSTANCE, ACCOUNT, PS, USER)).state()).isEqualTo(Assignment.State.ABSENT);
    }

    @Test
    void standingAccessIsHeldButNeverRemoved() throws Exception {
        sso("ListAccountAssignments", 200, "{\"AccountAssignments\":[{\"AccountId\":\"" + ACCOUNT + "\",\"PermissionSetArn\":\""
                + PS + "\",\"PrincipalType\":\"USER\",\"PrincipalId\":\"" + USER + "\"}]}");
        IdentityCenterAccessProvider provider = provider(5);

        ProviderResult granted = provider.grant(grant("REQ-0000000005", "alice@example.com"));
        ProviderResult revoked = provider.revoke(grant("REQ-0000000005", "alice@example.com"));

        assertThat(granted.note()).hasValueSatisfying(n -> assertThat(n).contains("had this assignment before"));
        assertThat(revoked.note()).hasValueSatisfying(n -> assertThat(n).contains("left in place"));
        assertThat(calls("CreateAccountAssignment")).isEmpty();
        assertThat(calls("DeleteAccountAssignment")).isEmpty();
    }

    @Test
    void anotherUsersAssignmentIsNotStandingAccessForThisOne() throws Exception {
        sso("ListAccountAssignments", 200, "{\"AccountAssignments\":[{\"AccountId\":\"" + ACCOUNT + "\",\"PermissionSetArn\":\""
                + PS + "\",\"PrincipalType\":\"GROUP\",\"PrincipalId\":\"" + USER + "\"},{\"AccountId\":\"" + ACCOUNT
                + "\",\"PermissionSetArn\":\"" + PS + "\",\"PrincipalType\":\"USER\",\"PrincipalId\":\"someone-else\"}]}");
        creationAnswers("SUCCEEDED");

        provider(5).grant(grant("REQ-0000000006", "alice@example.com"));

        assertThat(calls("CreateAccountAssignment")).hasSize(1);
    }

    @Test
    void overlappingGrantsOfTheSameAssignmentEndItOnceWhenTheLastEnds() throws Exception {
        creationAnswers("SUCCEEDED");
        deletionAnswers("SUCCEEDED");
        IdentityCenterAccessProvider provider = provider(5);

        provider.grant(grant("REQ-0000000007", "alice@example.com"));
        ProviderResult second = provider.grant(grant("REQ-0000000008", "alice@example.com"));
        assertThat(second.note()).hasValueSatisfying(n -> assertThat(n).contains("REQ-0000000007"));
        assertThat(calls("CreateAccountAssignment")).hasSize(1);

        ProviderResult firstEnds = provider.revoke(grant("REQ-0000000007", "alice@example.com"));
        assertThat(firstEnds.note()).hasValueSatisfying(n -> assertThat(n).contains("REQ-0000000008 still holds it"));
        assertThat(calls("DeleteAccountAssignment")).isEmpty();

        provider.revoke(grant("REQ-0000000008", "alice@example.com"));
        assertThat(calls("DeleteAccountAssignment")).hasSize(1);
    }

    @Test
    void aRestartBetweenCreateAndSucceededPollsOnWithoutASecondCreate() throws Exception {
        creationAnswers("IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED");

        assertThatThrownBy(() -> provider(2).grant(grant("REQ-0000000009", "alice@example.com")))
                .isInstanceOf(AccessProviderException.class).hasMessageContaining("still in progress");
        assertThat(ledger.get(new AssignmentKey(INSTANCE, ACCOUNT, PS, USER)).creationRequestId()).isEqualTo("create-1");

        // a new provider over the same ledger: the instance restarted
        ProviderResult granted = provider(2).grant(grant("REQ-0000000009", "alice@example.com"));

        assertThat(granted.reference()).contains("assignment creation create-1");
        assertThat(calls("CreateAccountAssignment")).hasSize(1);
        assertThat(calls("DescribeAccountAssignmentCreationStatus")).hasSize(3);
    }

    @Test
    void aPersonWithNoIdentityCenterUserIsToldBeforeAndAtTheGrant() {
        IdentityCenterAccessProvider provider = provider(5);

        assertThat(provider.whyCannotGrant(grant("REQ-0000000010", "mallory@example.com")))
                .hasValueSatisfying(w -> {
                    assertThat(w.field()).isEqualTo("requester");
                    assertThat(w.reason()).contains("no IAM Identity Center user has userName = mallory@example.com");
                });
        assertThat(provider.whyCannotGrant(grant("REQ-0000000010", "alice@example.com"))).isEmpty();
        assertThatThrownBy(() -> provider.grant(grant("REQ-0000000010", "mallory@example.com")))
                .isInstanceOf(AccessProviderException.class).hasMessageContaining("mallory@example.com");
        assertThat(calls("CreateAccountAssignment")).isEmpty();
    }

    @Test
    void aPolicyWithoutAPermissionSetCannotBeGranted() {
        AccessGrant bare = new AccessGrant(new RequestId("REQ-0000000011"), UserEmail.of("alice@example.com"), "ec2:*",
                ACCOUNT, ScopePath.of("org/prod"), Optional.empty(), "k", "read-logs", Map.of());

        assertThat(provider(5).whyCannotGrant(bare)).hasValueSatisfying(w ->
                assertThat(w.reason()).contains("policy 'read-logs' names no permission set"));
    }

    @Test
    void startupNeedsExactlyOneInstanceUnlessOneIsNamed() {
        sso("ListInstances", 200, "{\"Instances\":[{\"InstanceArn\":\"" + INSTANCE + "\",\"IdentityStoreId\":\"" + STORE
                + "\"},{\"InstanceArn\":\"arn:aws:sso:::instance/ssoins-9999888877776666\",\"IdentityStoreId\":\"d-1\"}]}");

        assertThatThrownBy(() -> provider(5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned 2").hasMessageContaining("CLEARANCE_AWS_INSTANCE_ARN");
        IdentityCenterAccessProvider named = IdentityCenterAccessProvider.fromEnvironment(ledger, new IdentityCenterSettings(
                Optional.of(INSTANCE), Optional.empty(), "userName", Duration.ofSeconds(1), 3), clock, pauses::add);
        assertThat(named.identityStoreId()).isEqualTo(STORE);
    }
}
