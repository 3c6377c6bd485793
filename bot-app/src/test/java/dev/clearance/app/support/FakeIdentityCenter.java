package dev.clearance.app.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock playing IAM Identity Center's two JSON 1.1 services, statefully: SSO Admin ({@code SWBExternalService.*}:
 * instances, account assignments and their asynchronous creation and deletion) and the Identity Store
 * ({@code AWSIdentityStore.GetUserId}). Requests must be SigV4-signed JSON 1.1, as the SDK sends them; an assignment
 * creation or deletion stays IN_PROGRESS for {@link #inProgressPolls} status polls, as on AWS. Bodies follow the
 * AWS API reference.
 */
public final class FakeIdentityCenter implements ResponseDefinitionTransformerV2 {
    public static final String INSTANCE = "arn:aws:sso:::instance/ssoins-1111222233334444";
    public static final String STORE = "d-9067000000";
    private static final Pattern SIGV4 = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=\\S+/\\d{8}/[a-z0-9-]+/(sso|identitystore)/aws4_request, SignedHeaders=\\S+, Signature=[0-9a-f]{64}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WireMockServer server = new WireMockServer(options().dynamicPort().extensions(this));
    private final Map<String, String> users = new HashMap<>();
    /** "account|permissionSet|userId" of every assignment that exists now. */
    private final Set<String> assignments = new LinkedHashSet<>();
    private final Map<String, Operation> operations = new HashMap<>();
    private final List<JsonNode> creates = new ArrayList<>();
    private final List<JsonNode> deletes = new ArrayList<>();
    private volatile int inProgressPolls = 1;
    /** While set, every user lookup (GetUserId) waits for it: a grant held in flight at its first AWS call. */
    private volatile java.util.concurrent.CountDownLatch userLookups;
    private final java.util.concurrent.atomic.AtomicInteger lookupsWaiting = new java.util.concurrent.atomic.AtomicInteger();
    private int creationPolls;

    private static final class Operation {
        final String kind;
        final String key;
        final JsonNode body;
        int pollsLeft;

        Operation(String kind, String key, JsonNode body, int pollsLeft) {
            this.kind = kind;
            this.key = key;
            this.body = body;
            this.pollsLeft = pollsLeft;
        }
    }

    public FakeIdentityCenter startServer() {
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse()));
        return this;
    }

    public void stopServer() {
        server.stop();
    }

    public String url() {
        return server.baseUrl();
    }

    public synchronized FakeIdentityCenter user(String userName, String userId) {
        users.put(userName, userId);
        return this;
    }

    /** An assignment the user holds before Clearance (standing access). */
    public synchronized void assign(String account, String permissionSet, String userId) {
        assignments.add(account + "|" + permissionSet + "|" + userId);
    }

    public synchronized boolean assigned(String account, String permissionSet, String userId) {
        return assignments.contains(account + "|" + permissionSet + "|" + userId);
    }

    /** Holds every user lookup until {@code release} opens; {@link #lookupsWaiting()} counts those held now. */
    public void holdUserLookups(java.util.concurrent.CountDownLatch release) {
        userLookups = release;
    }

    public int lookupsWaiting() {
        return lookupsWaiting.get();
    }

    public void inProgressPolls(int polls) {
        inProgressPolls = polls;
    }

    /** Every creation and deletion still in progress ends at its next status poll. */
    public synchronized void finishAll() {
        operations.values().forEach(op -> op.pollsLeft = 0);
    }

    /** CreateAccountAssignment bodies received, oldest first. */
    public synchronized List<JsonNode> creates() {
        return List.copyOf(creates);
    }

    /** DescribeAccountAssignmentCreationStatus calls received. */
    public synchronized int creationPolls() {
        return creationPolls;
    }

    public synchronized List<JsonNode> deletes() {
        return List.copyOf(deletes);
    }

    @Override
    public String getName() {
        return "fake-identity-center";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        java.util.concurrent.CountDownLatch hold = userLookups;
        if (hold != null && "AWSIdentityStore.GetUserId".equals(event.getRequest().getHeader("X-Amz-Target"))) {
            lookupsWaiting.incrementAndGet();
            try {
                hold.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lookupsWaiting.decrementAndGet();
            }
        }
        return answer(event);
    }

    private synchronized ResponseDefinition answer(ServeEvent event) {
        Request r = event.getRequest();
        String target = r.getHeader("X-Amz-Target");
        if (!"application/x-amz-json-1.1".equals(r.getHeader("Content-Type"))) {
            return error(400, "SerializationException", "expected application/x-amz-json-1.1");
        }
        if (r.getHeader("Authorization") == null || !SIGV4.matcher(r.getHeader("Authorization")).matches()) {
            return error(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        JsonNode body = JSON.readTree(r.getBodyAsString());
        return switch (target == null ? "" : target) {
            case "SWBExternalService.ListInstances" -> ok(Map.of("Instances", List.of(Map.of("InstanceArn", INSTANCE,
                    "IdentityStoreId", STORE, "Status", "ACTIVE"))));
            case "AWSIdentityStore.GetUserId" -> getUserId(body);
            case "SWBExternalService.ListAccountAssignments" -> listAssignments(body);
            case "SWBExternalService.CreateAccountAssignment" -> start("create", body, creates);
            case "SWBExternalService.DeleteAccountAssignment" -> start("delete", body, deletes);
            case "SWBExternalService.DescribeAccountAssignmentCreationStatus" -> {
                creationPolls++;
                yield describe(body.path("AccountAssignmentCreationRequestId").asString(), "AccountAssignmentCreationStatus");
            }
            case "SWBExternalService.DescribeAccountAssignmentDeletionStatus" ->
                    describe(body.path("AccountAssignmentDeletionRequestId").asString(), "AccountAssignmentDeletionStatus");
            case "SWBExternalService.DescribePermissionSet" -> ok(Map.of("PermissionSet", Map.of(
                    "PermissionSetArn", body.path("PermissionSetArn").asString(), "Name", "Admin")));
            default -> error(400, "UnknownOperationException", "unknown operation " + target);
        };
    }

    private ResponseDefinition getUserId(JsonNode body) {
        JsonNode unique = body.path("AlternateIdentifier").path("UniqueAttribute");
        String userId = STORE.equals(body.path("IdentityStoreId").asString())
                && "userName".equals(unique.path("AttributePath").asString())
                ? users.get(unique.path("AttributeValue").asString()) : null;
        if (userId == null) {
            return error(400, "ResourceNotFoundException", "USER not found.");
        }
        return ok(Map.of("IdentityStoreId", STORE, "UserId", userId));
    }

    private ResponseDefinition listAssignments(JsonNode body) {
        String prefix = body.path("AccountId").asString() + "|" + body.path("PermissionSetArn").asString() + "|";
        List<Object> found = new ArrayList<>();
        for (String a : assignments) {
            if (a.startsWith(prefix)) {
                found.add(Map.of("AccountId", body.path("AccountId").asString(), "PermissionSetArn",
                        body.path("PermissionSetArn").asString(), "PrincipalType", "USER", "PrincipalId", a.substring(prefix.length())));
            }
        }
        return ok(Map.of("AccountAssignments", found));
    }

    private ResponseDefinition start(String kind, JsonNode body, List<JsonNode> log) {
        if (!INSTANCE.equals(body.path("InstanceArn").asString()) || !"AWS_ACCOUNT".equals(body.path("TargetType").asString())
                || !"USER".equals(body.path("PrincipalType").asString())) {
            return error(400, "ValidationException", "unexpected " + kind + " request " + body);
        }
        log.add(body);
        String id = kind + "-" + (creates.size() + deletes.size());
        String key = body.path("TargetId").asString() + "|" + body.path("PermissionSetArn").asString() + "|"
                + body.path("PrincipalId").asString();
        Operation op = new Operation(kind, key, body, inProgressPolls);
        operations.put(id, op);
        return ok(Map.of(kind.equals("create") ? "AccountAssignmentCreationStatus" : "AccountAssignmentDeletionStatus",
                status(id, op, "IN_PROGRESS")));
    }

    private ResponseDefinition describe(String id, String field) {
        Operation op = operations.get(id);
        if (op == null) {
            return error(400, "ResourceNotFoundException", "no request " + id);
        }
        if (op.pollsLeft > 0) {
            op.pollsLeft--;
            return ok(Map.of(field, status(id, op, "IN_PROGRESS")));
        }
        if (op.kind.equals("create")) {
            assignments.add(op.key);
        } else {
            assignments.remove(op.key);
        }
        return ok(Map.of(field, status(id, op, "SUCCEEDED")));
    }

    private static Map<String, Object> status(String id, Operation op, String status) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Status", status);
        s.put("RequestId", id);
        s.put("TargetId", op.body.path("TargetId").asString());
        s.put("TargetType", "AWS_ACCOUNT");
        s.put("PermissionSetArn", op.body.path("PermissionSetArn").asString());
        s.put("PrincipalType", "USER");
        s.put("PrincipalId", op.body.path("PrincipalId").asString());
        s.put("CreatedDate", 1.7637E9);
        return s;
    }

    private static ResponseDefinition ok(Object body) {
        return json(200, body);
    }

    private static ResponseDefinition error(int status, String type, String message) {
        return json(status, Map.of("__type", type, "Message", message));
    }

    private static ResponseDefinition json(int status, Object body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(JSON.writeValueAsString(body)).build();
    }
}
