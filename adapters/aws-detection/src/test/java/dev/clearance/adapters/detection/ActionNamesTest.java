package dev.clearance.adapters.detection;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionNamesTest {
    private final ActionNames names = ActionNames.standard();

    private ActionNames.Named named(String message) {
        return names.fromMessage(message).orElseThrow(() -> new AssertionError("no action in: " + message));
    }

    @Test
    void theMessagePatternsOfAwsServices() {
        assertThat(named("User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:DeleteBucket on resource:"
                + " arn:aws:s3:::x because no identity-based policy allows the s3:DeleteBucket action"))
                .isEqualTo(new ActionNames.Named("s3:DeleteBucket", Optional.of("arn:aws:s3:::x")));
        assertThat(named("User: arn:aws:sts::111122223333:assumed-role/R/s is not authorized to perform: iam:CreateUser with an"
                + " explicit deny in a service control policy"))
                .isEqualTo(new ActionNames.Named("iam:CreateUser", Optional.empty()));
        assertThat(named("An error occurred (AccessDeniedException) when calling the ListKeys operation: User: arn:aws:iam::"
                + "111122223333:user/a is not authorized to perform: kms:ListKeys on resource: *"))
                .isEqualTo(new ActionNames.Named("kms:ListKeys", Optional.empty()));
        assertThat(named("User: arn:aws:iam::111122223333:user/a is not authorized to perform iam:UpdateAccessKey on resource:"
                + " access key AKIAEXAMPLE").action()).isEqualTo("iam:UpdateAccessKey");
        assertThat(named("User: arn:aws:iam::111122223333:user/a is not authorized to perform: (sts:DecodeAuthorizationMessage)"
                + " action").action()).isEqualTo("sts:DecodeAuthorizationMessage");
        assertThat(named("Principal [arn:aws:sts::111122223333:assumed-role/R/s] is not allowed to execute"
                + " [kafka-cluster:Connect] on the resource").action()).isEqualTo("kafka-cluster:Connect");
        assertThat(named("User: arn:aws:iam::111122223333:user/a is not authorized to perform: lambda:GetFunction on resource:"
                + " arn:aws:lambda:eu-west-1:111122223333:function:f.").resourceArn())
                .as("a full stop ending the message is not part of the ARN")
                .contains("arn:aws:lambda:eu-west-1:111122223333:function:f");
    }

    @Test
    void messagesThatNameNoActionGiveNone() {
        assertThat(names.fromMessage("Access Denied")).isEmpty();
        assertThat(names.fromMessage("You are not authorized to perform this operation. Encoded authorization failure message: abc"))
                .isEmpty();
        assertThat(names.fromMessage(null)).isEmpty();
        assertThat(names.fromMessage("User: x is not authorized to access this resource")).isEmpty();
    }

    @Test
    void theDeniedPermissionInsideAnotherCallIsTheOneTheMessageNames() {
        // RunInstances with an instance profile: what was denied is passing the role, and that is what to ask for
        assertThat(named("You are not authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/R/s"
                + " is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/app because no"
                + " identity-based policy allows the iam:PassRole action. Encoded authorization failure message: abc"))
                .isEqualTo(new ActionNames.Named("iam:PassRole", Optional.of("arn:aws:iam::111122223333:role/app")));
    }

    @Test
    void aResourceNamedLikeAMessageCannotChooseTheAction() {
        // an object key may hold spaces and these very words; the first "not authorized to perform" is AWS's own
        ActionNames.Named n = named("User: arn:aws:sts::111122223333:assumed-role/R/s is not authorized to perform:"
                + " s3:GetObject on resource: \"arn:aws:s3:::b/is not authorized to perform: iam:CreateUser\" because no"
                + " identity-based policy allows the s3:GetObject action");

        assertThat(n.action()).isEqualTo("s3:GetObject");
        assertThat(n.resourceArn()).contains("arn:aws:s3:::b/is");
    }

    @Test
    void eventSourceAndNameMapWhereTheyDiffer() {
        assertThat(names.fromEvent("s3.amazonaws.com", "DeleteBucket")).contains("s3:DeleteBucket");
        assertThat(names.fromEvent("s3.amazonaws.com", "ListObjects")).contains("s3:ListBucket");
        assertThat(names.fromEvent("s3.amazonaws.com", "DeleteBucketEncryption")).contains("s3:PutEncryptionConfiguration");
        assertThat(names.fromEvent("monitoring.amazonaws.com", "DeleteAlarms")).contains("cloudwatch:DeleteAlarms");
        assertThat(names.fromEvent("email.amazonaws.com", "SendEmail")).contains("ses:SendEmail");
        assertThat(names.fromEvent("elasticloadbalancing.amazonaws.com", "DeleteLoadBalancer"))
                .contains("elasticloadbalancing:DeleteLoadBalancer");
        assertThat(names.fromEvent("sso-directory.amazonaws.com", "CreateUser")).contains("sso-directory:CreateUser");
        assertThat(names.fromEvent("lambda.amazonaws.com", "DeleteFunction20150331")).contains("lambda:DeleteFunction");
        assertThat(names.fromEvent("lambda.amazonaws.com", "UpdateFunctionCode20150331v2")).contains("lambda:UpdateFunctionCode");
        assertThat(names.fromEvent("lambda.amazonaws.com", "Invoke")).contains("lambda:InvokeFunction");
        assertThat(names.fromEvent("cloudfront.amazonaws.com", "DeleteDistribution2020_05_31"))
                .contains("cloudfront:DeleteDistribution");
        assertThat(names.fromEvent("s3.amazonaws.com", "ListObjectsV2")).as("V2 is not an API date").contains("s3:ListBucket");
    }

    @Test
    void eventSourcesAndNamesNotShapedAsAwsWritesThemGiveNone() {
        assertThat(names.fromEvent("S3 Amazon", "DeleteBucket")).isEmpty();
        assertThat(names.fromEvent("s3.amazonaws.com", "Delete Bucket")).isEmpty();
        assertThat(names.fromEvent("s3.amazonaws.com", "")).isEmpty();
        assertThat(names.fromEvent(null, "DeleteBucket")).isEmpty();
    }

    @Test
    void aMalformedMappingLineStopsTheLoadNamingTheLine() {
        assertThatThrownBy(() -> ActionNames.parse(new BufferedReader(new StringReader("# ok\nevent s3:ListObjects\n"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("line 2");
    }
}
