package dev.clearance.adapters.detection;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import software.amazon.event.ruler.Machine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EventBridge rules of {@code deploy/aws} against the fixture events, with AWS's own matcher (Event Ruler, which
 * EventBridge's pattern language is), on the envelope as EventBridge delivers it: every Identity Center denial goes to
 * the queue, nothing else does.
 */
class DeploymentPatternTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Identity Center sessions, denied: the queue gets them. */
    private static final List<String> DELIVERED = List.of("sso-scp-deny-s3-deletebucket.json",
            "sso-s3-access-denied-deletebucketencryption.json", "ec2-unauthorized-runinstances.json",
            "ec2-unauthorized-runinstances-detailed.json", "sso-onbehalfof-iam-createuser.json", "sso-disabled-sagemaker.json",
            // the rule sees the role's name only; the reader refuses it (CloudTrailEventsTest)
            "role-named-like-identity-center.json");
    private static final List<String> NOT_DELIVERED = List.of("iam-user-denied.json", "sso-success-s3-createbucket.json",
            "role-denied-ci-deploy.json", "malformed-not-cloudtrail.json");

    static Path deploy() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/aws/clearance-detection.yaml"))) {
                return dir.resolve("deploy/aws");
            }
        }
        throw new AssertionError("deploy/aws/clearance-detection.yaml not found above " + Path.of("").toAbsolutePath());
    }

    /** Any YAML parser reads the template: the safe constructor refuses short-form tags such as !Ref. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> template(String name) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        return (Map<String, Object>) yaml.load(Files.readString(deploy().resolve(name)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resource(Map<String, Object> template, String name) {
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        assertThat(resources).containsKey(name);
        return (Map<String, Object>) ((Map<String, Object>) resources.get(name)).get("Properties");
    }

    static String pattern(String template, String rule) throws IOException {
        return JSON.writeValueAsString(resource(template(template), rule).get("EventPattern"));
    }

    private static Machine machine(String pattern) throws IOException {
        Machine machine = new Machine();
        machine.addRule("clearance", pattern);
        return machine;
    }

    @Test
    void theCentralRuleDeliversIdentityCenterDenialsAndNothingElse() throws Exception {
        Machine machine = machine(pattern("clearance-detection.yaml", "DeniedCallsRule"));

        for (String fixture : DELIVERED) {
            assertThat(machine.rulesForJSONEvent(CloudTrailEventsTest.fixture(fixture))).as(fixture).containsExactly("clearance");
        }
        for (String fixture : NOT_DELIVERED) {
            assertThat(machine.rulesForJSONEvent(CloudTrailEventsTest.fixture(fixture))).as(fixture).isEmpty();
        }
    }

    @Test
    void theErrorCodesAreTheDefaultDenialCodes() throws Exception {
        Machine machine = machine(pattern("clearance-detection.yaml", "DeniedCallsRule"));
        String event = CloudTrailEventsTest.fixture("sso-scp-deny-s3-deletebucket.json");

        for (String code : List.of("AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "UnauthorizedOperation")) {
            assertThat(machine.rulesForJSONEvent(event.replace("\"errorCode\": \"AccessDenied\"", "\"errorCode\": \"" + code + "\"")))
                    .as(code).isNotEmpty();
        }
        for (String code : List.of("ThrottlingException", "NoSuchBucket", "ValidationException", "InvalidAccessKeyId")) {
            assertThat(machine.rulesForJSONEvent(event.replace("\"errorCode\": \"AccessDenied\"", "\"errorCode\": \"" + code + "\"")))
                    .as(code).isEmpty();
        }
    }

    @Test
    void anEventNotFromAnAwsSourceIsNotDelivered() throws Exception {
        Machine machine = machine(pattern("clearance-detection.yaml", "DeniedCallsRule"));

        assertThat(machine.rulesForJSONEvent(CloudTrailEventsTest.fixture("sso-scp-deny-s3-deletebucket.json")
                .replace("\"source\": \"aws.s3\"", "\"source\": \"my.app\""))).isEmpty();
    }

    @Test
    void theForwardersPatternIsTheCentralRulesPattern() throws Exception {
        assertThat(JSON.readTree(pattern("clearance-detection-forwarder.yaml", "ForwardRule")))
                .isEqualTo(JSON.readTree(pattern("clearance-detection.yaml", "DeniedCallsRule")));
        Map<String, Object> forward = resource(template("clearance-detection-forwarder.yaml"), "ForwardRule");
        assertThat(forward.get("EventBusName")).isEqualTo("default");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theQueueHasADeadLetterQueueAndOnlyTheRuleMaySendToIt() throws Exception {
        Map<String, Object> template = template("clearance-detection.yaml");
        Map<String, Object> redrive = (Map<String, Object>) resource(template, "Queue").get("RedrivePolicy");
        assertThat(redrive.get("deadLetterTargetArn")).isEqualTo(Map.of("Fn::GetAtt", List.of("DeadLetterQueue", "Arn")));
        assertThat(redrive.get("maxReceiveCount")).isEqualTo(Map.of("Ref", "MaxReceiveCount"));

        JsonNode policy = JSON.valueToTree(resource(template, "QueuePolicy").get("PolicyDocument"));
        assertThat(policy.path("Statement")).hasSize(1);
        JsonNode statement = policy.path("Statement").get(0);
        assertThat(statement.path("Principal").path("Service").asString()).isEqualTo("events.amazonaws.com");
        assertThat(statement.path("Action").asString()).isEqualTo("sqs:SendMessage");
        assertThat(statement.path("Condition").path("ArnEquals").path("aws:SourceArn"))
                .isEqualTo(JSON.valueToTree(Map.of("Fn::GetAtt", List.of("DeniedCallsRule", "Arn"))));

        Map<String, Object> outputs = (Map<String, Object>) template.get("Outputs");
        assertThat(outputs).containsKeys("QueueUrl", "QueueArn");
    }

    @Test
    void theExampleScpSparesOnlyThePermissionSetsClearanceGrants() throws Exception {
        JsonNode scp = JSON.readTree(Files.readString(deploy().resolve("scp-protected-permissions.json")));
        JsonNode protectedStatement = scp.path("Statement").get(0);

        assertThat(protectedStatement.path("Effect").asString()).isEqualTo("Deny");
        assertThat(protectedStatement.path("Condition").path("ArnLike").path("aws:PrincipalArn").asString())
                .isEqualTo("arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_*");
        // roles made before 2023 have no region segment in their path: both forms are spared
        assertThat(protectedStatement.path("Condition").path("ArnNotLike").path("aws:PrincipalArn").valueStream()
                .map(JsonNode::asString).toList()).containsExactlyInAnyOrder(
                "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_ClearanceGranted*",
                "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ClearanceGranted*");
        assertThat(Files.readString(deploy().resolve("scp-protected-permissions.json")).length())
                .as("an SCP holds at most 5,120 characters").isLessThan(5120);
    }
}
