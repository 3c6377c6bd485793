package dev.clearance.core.policy;

import dev.clearance.core.model.ScopePath;
import org.junit.jupiter.api.Test;

import static dev.clearance.core.policy.TestConfigs.e;
import static dev.clearance.core.policy.TestConfigs.emails;
import static org.assertj.core.api.Assertions.assertThat;

class ApproversTest {
    private final ClearanceConfig config = TestConfigs.config();
    private final Approvers approvers = new Approvers(config, new ConfiguredDirectory(config));
    private final ScopePath prod = ScopePath.of("org/prod");
    private final ScopePath payments = ScopePath.of("org/prod/payments");

    @Test
    void firstMatchingPolicyWinsAndTheDefaultAppliesOtherwise() {
        assertThat(config.match("s3:DeleteBucket", "123456789012").name()).isEqualTo("prod-delete");
        assertThat(config.match("s3:DeleteBucket", "555555555555").name()).isEqualTo("default");
        assertThat(config.match("logs:Tail", "anything").name()).isEqualTo("self-service");
        assertThat(config.match("ec2:RunInstances", "123456789012").name()).isEqualTo("default");
        assertThat(config.defaultPolicy().steps()).hasSize(1);
        assertThat(config.defaultPolicy().step(0).required()).isEqualTo(1);
        assertThat(config.defaultPolicy().step(0).approvers().scopeApprovers()).isTrue();
    }

    @Test
    void scopeApproversComeFromTheNearestScopeUpTheTree() {
        Policy p = config.defaultPolicy();
        // payments declares no approvers: the nearest level up (prod) is pinged
        assertThat(approvers.initialRecipients(p, 0, payments)).isEqualTo(emails("pat", "pia"));
        // anyone at the scope or above may decide, and admins always may
        assertThat(approvers.eligible(p, 0, payments, 0)).isEqualTo(emails("pat", "pia", "olga", "root"));
        assertThat(approvers.eligible(p, 0, ScopePath.of("org"), 0)).isEqualTo(emails("olga", "root"));
    }

    @Test
    void escalationClimbsTheTreeThenRepeatsTheAdmins() {
        Policy p = config.defaultPolicy();
        assertThat(approvers.escalationRecipients(p, 0, prod, 1)).isEqualTo(emails("olga"));
        assertThat(approvers.escalationRecipients(p, 0, prod, 2)).isEqualTo(emails("root"));
        assertThat(approvers.escalationRecipients(p, 0, prod, 3)).isEqualTo(emails("root"));
    }

    @Test
    void groupStepsEscalateToTheRequestScopeAndEscalatedPeopleBecomeEligible() {
        Policy p = TestConfigs.twoStep();
        assertThat(approvers.initialRecipients(p, 0, prod)).isEqualTo(emails("sec1", "sec2", "sec3"));
        assertThat(approvers.eligible(p, 0, prod, 0)).isEqualTo(emails("sec1", "sec2", "sec3", "root"));
        assertThat(approvers.escalationRecipients(p, 0, prod, 1)).isEqualTo(emails("pat", "pia"));
        assertThat(approvers.eligible(p, 0, prod, 1)).isEqualTo(emails("sec1", "sec2", "sec3", "pat", "pia", "root"));
        assertThat(approvers.eligible(p, 0, prod, 2)).contains(e("olga"));
    }

    @Test
    void adminsAreInheritedDownTheTree() {
        assertThat(approvers.isAdmin(e("root"), payments)).isTrue();
        assertThat(approvers.isAdmin(e("pat"), payments)).isFalse();
        assertThat(approvers.isGlobalAdmin(e("root"))).isTrue();
    }

    @Test
    void accountsMapToTheirDeclaredScopeElseTheRoot() {
        assertThat(config.tree().scopeOfAccount("123456789012")).isEqualTo(prod);
        assertThat(config.tree().scopeOfAccount("999999999999")).isEqualTo(payments);
        assertThat(config.tree().scopeOfAccount("000000000000")).isEqualTo(ScopePath.of("org"));
    }

    @Test
    void intervalsBackOffExponentiallyUpToTheMax() {
        Intervals i = Intervals.defaults();
        assertThat(i.providerBackoff(1)).hasSeconds(30);
        assertThat(i.providerBackoff(2)).hasSeconds(60);
        assertThat(i.providerBackoff(3)).hasSeconds(120);
        assertThat(i.providerBackoff(30)).isEqualTo(i.providerRetryMax());
    }
}
