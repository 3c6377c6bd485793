package dev.clearance.app.detection;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code detect EVENT.json} explains the recorded CloudTrail events (the aws-detection adapter's fixtures) under the
 * example policy file, and stores nothing (its ports throw if touched). The AWS SDK is pointed at a closed port: an
 * event that needs the identity store says it could not be read now.
 */
class DetectCommandTest {
    private static final String FIXTURES = "../adapters/aws-detection/src/test/resources/cloudtrail/";
    private static final String POLICY = "../config/clearance.example.yml";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void aws() {
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "secret");
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
    }

    @AfterAll
    static void clear() {
        for (String p : new String[]{"aws.region", "aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrl"}) {
            System.clearProperty(p);
        }
    }

    private int detect(String... args) {
        return DetectCommand.run(args, POLICY, DetectCommand::cloudTrailReader,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aProtectedDenialNamesThePersonThePolicyAndItsApprovers() {
        assertThat(detect("detect", FIXTURES + "sso-scp-deny-s3-deletebucket.json")).isZero();
        assertThat(out()).contains("caller   identity center ", " = alice@example.com")
                .contains("action   s3:DeleteBucket")
                .contains("account  111122223333")
                .contains("error    AccessDenied")
                .contains("verdict  protected: opens a request for alice@example.com")
                .contains("policy   default")
                .contains("step 1   Scope approvers: 1 of ");
    }

    @Test
    void aDisabledServiceSendsTheNoticeAndOpensNothing() {
        assertThat(detect("detect", FIXTURES + "sso-disabled-sagemaker.json")).isZero();
        assertThat(out()).contains("verdict  dave@example.com gets the disabled-service notice for sagemaker");
    }

    @Test
    void anIamUserTheFileDoesNotMapIsIgnoredWithTheReason() {
        assertThat(detect("detect", FIXTURES + "iam-user-denied.json")).isZero();
        assertThat(out()).contains("verdict  ignored (unmapped-identity)");
    }

    @Test
    void aSuccessfulCallIsIgnored() {
        assertThat(detect("detect", FIXTURES + "sso-success-s3-createbucket.json")).isZero();
        assertThat(out()).contains("verdict  ignored (succeeded): the call succeeded");
    }

    @Test
    void whatIsNotACloudTrailEventFailsWithTheReason() {
        assertThat(detect("detect", FIXTURES + "malformed-not-json.txt")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("FAIL ").contains("not a CloudTrail API call event");
        assertThat(out()).isEmpty();
    }

    @Test
    void anEventThatNeedsTheIdentityStoreSaysItCouldNotBeReadNow() {
        assertThat(detect("detect", FIXTURES + "sso-onbehalfof-iam-createuser.json")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("could not be read now");
    }

    @Test
    void usageAndMissingFilesAreErrors() {
        assertThat(detect("detect")).isEqualTo(2);
        assertThat(detect("detect", "no-such-event.json")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: java -jar clearance.jar detect EVENT.json")
                .contains("no-such-event.json: cannot be read");
    }
}
