package dev.clearance.core.policy;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A small organisation for tests: scopes org (approver olga, admin root) → org/prod (approvers pat, pia; account
 * 123456789012) → org/prod/payments (no approvers); group security = sec1, sec2, sec3.
 */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static UserEmail e(String local) {
        return UserEmail.of(local + "@example.com");
    }

    public static Set<UserEmail> emails(String... locals) {
        return java.util.Arrays.stream(locals).map(TestConfigs::e).collect(Collectors.toSet());
    }

    public static ApproverSet users(String... locals) {
        return new ApproverSet(emails(locals), Set.of(), false);
    }

    public static ApproverTree tree() {
        Map<ScopePath, Scope> scopes = new LinkedHashMap<>();
        scopes.put(ScopePath.of("org"), new Scope(ScopePath.of("org"), users("olga"), users("root"), Set.of()));
        scopes.put(ScopePath.of("org/prod"), new Scope(ScopePath.of("org/prod"), users("pat", "pia"), users(), Set.of("123456789012")));
        scopes.put(ScopePath.of("org/prod/payments"), new Scope(ScopePath.of("org/prod/payments"), users(), users(), Set.of("999999999999")));
        return new ApproverTree(ScopePath.of("org"), scopes);
    }

    public static Policy twoStep() {
        return new Policy("prod-delete", Optional.of(GlobPattern.compile("s3:Delete*")), Optional.of(GlobPattern.compile("1234567890??")),
                AccessDuration.parse("8h"), false, List.of(
                new PolicyStep(Optional.of("Security review"), new ApproverSet(Set.of(), Set.of("security"), false), 2),
                new PolicyStep(Optional.of("Owner"), ApproverSet.scopeApproversOnly(), 1)));
    }

    public static Policy selfService() {
        return new Policy("self-service", Optional.of(GlobPattern.compile("logs:*")), Optional.empty(),
                AccessDuration.parse("1d"), true, List.of(new PolicyStep(Optional.empty(), ApproverSet.scopeApproversOnly(), 1)));
    }

    public static ClearanceConfig config() {
        return config(Intervals.defaults());
    }

    /** Without limits on new requests: most tests file many requests as one person. */
    public static ClearanceConfig config(Intervals intervals) {
        return config(intervals, UnknownAccounts.ROOT, Limits.none());
    }

    public static ClearanceConfig config(Intervals intervals, UnknownAccounts unknownAccounts, Limits limits) {
        Map<UserEmail, Person> users = new LinkedHashMap<>();
        users.put(e("alice"), new Person(e("alice"), "Alice Doe", Map.of("slack", "UALICE"), List.of()));
        return new ClearanceConfig(users, Map.of("security", emails("sec1", "sec2", "sec3")), tree(),
                List.of(twoStep(), selfService()), Policy.defaultPolicy(AccessDuration.UNTIL_REVOKED), intervals,
                unknownAccounts, limits);
    }
}
