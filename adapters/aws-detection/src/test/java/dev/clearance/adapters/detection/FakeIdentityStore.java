package dev.clearance.adapters.detection;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.identitystore.IdentitystoreClient;

import java.net.URI;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock playing the IAM Identity Store's JSON 1.1 API ({@code AWSIdentityStore.DescribeUser},
 * {@code AWSIdentityStore.GetUserId}) as the AWS API reference describes it. Only SigV4-signed JSON 1.1 requests for
 * the identity store service are answered; anything else gets AWS's "Missing Authentication Token".
 */
final class FakeIdentityStore {
    static final String STORE = "d-9067000000";
    private static final String SIGV4 =
            "AWS4-HMAC-SHA256 Credential=\\S+/\\d{8}/[a-z0-9-]+/identitystore/aws4_request, SignedHeaders=\\S+, Signature=[0-9a-f]{64}";
    private final WireMockServer server = new WireMockServer(options().dynamicPort());

    FakeIdentityStore start() {
        server.start();
        reset();
        return this;
    }

    /** Forgets every user and request: the store of a fresh test. */
    void reset() {
        server.resetAll();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(error(403, "MissingAuthenticationTokenException",
                "Missing Authentication Token")));
    }

    void stop() {
        server.stop();
    }

    /** A client from the SDK, pointed at the fake, without retries (a failure shows at once). */
    IdentitystoreClient client() {
        return IdentitystoreClient.builder().endpointOverride(URI.create(server.baseUrl())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** The user DescribeUser returns for that id; {@code email} is their one (primary) email. */
    FakeIdentityStore user(String userId, String userName, String email) {
        server.stubFor(call("AWSIdentityStore.DescribeUser", "{\"IdentityStoreId\":\"" + STORE + "\",\"UserId\":\"" + userId + "\"}")
                .willReturn(ok("{\"IdentityStoreId\":\"" + STORE + "\",\"UserId\":\"" + userId + "\",\"UserName\":\"" + userName
                        + "\",\"DisplayName\":\"" + userName + "\",\"Emails\":[{\"Value\":\"" + email
                        + "\",\"Type\":\"work\",\"Primary\":true}]}")));
        server.stubFor(call("AWSIdentityStore.GetUserId", "{\"IdentityStoreId\":\"" + STORE + "\",\"AlternateIdentifier\":"
                + "{\"UniqueAttribute\":{\"AttributePath\":\"userName\",\"AttributeValue\":\"" + userName + "\"}}}")
                .willReturn(ok("{\"IdentityStoreId\":\"" + STORE + "\",\"UserId\":\"" + userId + "\"}")));
        return this;
    }

    /** The store does not have that user. */
    FakeIdentityStore noUser(String userId) {
        server.stubFor(call("AWSIdentityStore.DescribeUser", "{\"IdentityStoreId\":\"" + STORE + "\",\"UserId\":\"" + userId + "\"}")
                .willReturn(error(400, "ResourceNotFoundException", "USER not found.")));
        return this;
    }

    /** Every identity store call fails as when Clearance's role lacks the permission. */
    FakeIdentityStore refuseAll() {
        server.stubFor(post(urlEqualTo("/")).atPriority(1).willReturn(error(400, "AccessDeniedException",
                "User: arn:aws:sts::999988887777:assumed-role/clearance/i-0abc is not authorized to perform: identitystore:DescribeUser")));
        return this;
    }

    int describeUserCalls() {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AWSIdentityStore.DescribeUser")).build()).getCount();
    }

    int calls() {
        return server.getAllServeEvents().size();
    }

    private static MappingBuilder call(String target, String body) {
        return post(urlEqualTo("/")).atPriority(5)
                .withHeader("X-Amz-Target", equalTo(target))
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"))
                .withHeader("Authorization", matching(SIGV4))
                .withRequestBody(equalToJson(body));
    }

    private static ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    private static ResponseDefinitionBuilder error(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"" + type + "\",\"Message\":\"" + message + "\"}");
    }
}
