package dev.clearance.adapters.access.aws;

import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.port.GrantObstacle;
import dev.clearance.core.port.HeldAccess;
import dev.clearance.core.port.ProviderResult;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.identitystore.IdentitystoreClient;
import software.amazon.awssdk.services.identitystore.model.AlternateIdentifier;
import software.amazon.awssdk.services.identitystore.model.UniqueAttribute;
import software.amazon.awssdk.services.ssoadmin.SsoAdminClient;
import software.amazon.awssdk.services.ssoadmin.model.AccountAssignmentOperationStatus;
import software.amazon.awssdk.services.ssoadmin.model.InstanceMetadata;
import software.amazon.awssdk.services.ssoadmin.model.PrincipalType;
import software.amazon.awssdk.services.ssoadmin.model.StatusValues;
import software.amazon.awssdk.services.ssoadmin.model.TargetType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * Grants access by assigning an IAM Identity Center permission set to the requester's Identity Center user on the
 * request's AWS account, and revokes it by deleting that assignment.
 * <p>
 * Overlap-safe: the {@link AssignmentLedger} records which requests hold each assignment and whether Clearance created
 * it. An assignment the user already had (standing access) is never removed, and one that several requests hold is
 * removed when the last of them ends. AWS calls that change an assignment are made outside the ledger's lock, with
 * the intent saved first, so a crash between "asked AWS" and "recorded the answer" is resumed, never repeated blindly:
 * a restart polls the creation it had started instead of creating again.
 */
public final class IdentityCenterAccessProvider implements AccessProvider {
    public static final String NAME = "aws-identity-center";
    /** A creation whose request id was never recorded (the instance died during the call) is given up after this. */
    static final Duration LOST_CREATION = Duration.ofMinutes(5);

    private final SsoAdminClient ssoAdmin;
    private final IdentitystoreClient identityStore;
    private final AssignmentLedger ledger;
    private final IdentityCenterSettings settings;
    private final Clock clock;
    private final Pause pause;
    private final String instanceArn;
    private final String identityStoreId;

    /**
     * Resolves the instance and identity store now (ListInstances when they are not configured), so that a wrong
     * setup stops the start with a message naming what to set.
     */
    public IdentityCenterAccessProvider(SsoAdminClient ssoAdmin, IdentitystoreClient identityStore, AssignmentLedger ledger,
                                        IdentityCenterSettings settings, Clock clock, Pause pause) {
        this.ssoAdmin = ssoAdmin;
        this.identityStore = identityStore;
        this.ledger = ledger;
        this.settings = settings;
        this.clock = clock;
        this.pause = pause;
        if (settings.instanceArn().isPresent() && settings.identityStoreId().isPresent()) {
            this.instanceArn = settings.instanceArn().get();
            this.identityStoreId = settings.identityStoreId().get();
        } else {
            InstanceMetadata instance = findInstance(settings.instanceArn());
            this.instanceArn = instance.instanceArn();
            this.identityStoreId = settings.identityStoreId().orElse(instance.identityStoreId());
        }
    }

    /** Clients from the AWS SDK's default chains: region, credentials and endpoints ({@code AWS_ENDPOINT_URL…}). */
    public static IdentityCenterAccessProvider fromEnvironment(AssignmentLedger ledger, IdentityCenterSettings settings,
                                                               Clock clock) {
        return fromEnvironment(ledger, settings, clock, Pause.SLEEP);
    }

    /** For {@code validate-config --check-aws}: looks things up, never grants (it has no ledger). */
    public static IdentityCenterAccessProvider forChecks(IdentityCenterSettings settings) {
        AssignmentLedger none = new AssignmentLedger() {
            @Override
            public <T> T change(AssignmentKey key, java.util.function.Function<Assignment, T> change) {
                throw new IllegalStateException("validate-config grants nothing");
            }

            @Override
            public Optional<AssignmentKey> keyOf(dev.clearance.core.model.RequestId request) {
                return Optional.empty();
            }

            @Override
            public List<Assignment> madeByClearance() {
                return List.of();
            }
        };
        return fromEnvironment(none, settings, Clock.systemUTC());
    }

    static IdentityCenterAccessProvider fromEnvironment(AssignmentLedger ledger, IdentityCenterSettings settings,
                                                        Clock clock, Pause pause) {
        SsoAdminClient sso;
        IdentitystoreClient ids;
        try {
            sso = SsoAdminClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            ids = IdentitystoreClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        } catch (SdkException e) {
            throw new IllegalStateException("aws-identity-center: the AWS SDK could not be set up (" + e.getMessage()
                    + "); set AWS_REGION (or a profile with a region, AWS_PROFILE) and credentials", e);
        }
        return new IdentityCenterAccessProvider(sso, ids, ledger, settings, clock, pause);
    }

    private InstanceMetadata findInstance(Optional<String> arn) {
        List<InstanceMetadata> instances = new ArrayList<>();
        try {
            ssoAdmin.listInstancesPaginator(b -> { }).instances().forEach(instances::add);
        } catch (SdkException e) {
            throw new IllegalStateException("aws-identity-center: ListInstances failed (" + describe(e) + "); check the"
                    + " AWS region and credentials, or set CLEARANCE_AWS_INSTANCE_ARN and CLEARANCE_AWS_IDENTITY_STORE_ID", e);
        }
        if (arn.isPresent()) {
            return instances.stream().filter(i -> arn.get().equals(i.instanceArn())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("aws-identity-center: CLEARANCE_AWS_INSTANCE_ARN " + arn.get()
                            + " is not among the instances ListInstances returns; set CLEARANCE_AWS_IDENTITY_STORE_ID too"
                            + " if the instance is not listed to these credentials"));
        }
        if (instances.size() != 1) {
            throw new IllegalStateException("aws-identity-center: ListInstances returned " + instances.size()
                    + " IAM Identity Center instances; set CLEARANCE_AWS_INSTANCE_ARN (and CLEARANCE_AWS_IDENTITY_STORE_ID)"
                    + " to the one to use");
        }
        return instances.get(0);
    }

    @Override
    public String name() {
        return NAME;
    }

    public String instanceArn() {
        return instanceArn;
    }

    public String identityStoreId() {
        return identityStoreId;
    }

    // ------------------------------------------------------------------ before anyone approves

    @Override
    public Optional<GrantObstacle> whyCannotGrant(AccessGrant g) {
        Optional<GrantObstacle> target = targetProblem(g);
        if (target.isPresent()) {
            return target;
        }
        try {
            return userId(g.requester().value()).isPresent() ? Optional.empty()
                    : Optional.of(new GrantObstacle("requester", noUser(g.requester().value())));
        } catch (SdkException e) {
            return Optional.empty(); // AWS unreachable now: the grant itself will tell
        }
    }

    private Optional<GrantObstacle> targetProblem(AccessGrant g) {
        String arn = g.target().get(PermissionSets.ATTRIBUTE);
        if (arn == null) {
            return Optional.of(new GrantObstacle("policy", "policy '" + g.policy()
                    + "' names no permission set to grant (grant: {permission-set: …})"));
        }
        return PermissionSets.arnProblem(arn).map(p -> new GrantObstacle("policy", p))
                .or(() -> PermissionSets.accountProblem(g.account()).map(p -> new GrantObstacle("account", p)));
    }

    private String noUser(String email) {
        return "no IAM Identity Center user has " + settings.userAttributePath() + " = " + email
                + " in identity store " + identityStoreId;
    }

    /** The Identity Center user whose unique attribute is this email; empty when there is none. */
    private Optional<String> userId(String email) {
        try {
            return Optional.of(identityStore.getUserId(b -> b.identityStoreId(identityStoreId).alternateIdentifier(
                    AlternateIdentifier.fromUniqueAttribute(UniqueAttribute.builder()
                            .attributePath(settings.userAttributePath()).attributeValue(Document.fromString(email)).build())))
                    .userId());
        } catch (software.amazon.awssdk.services.identitystore.model.ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** {@code validate-config --check-aws}: the permission set exists in the instance; empty when it does. */
    public Optional<String> checkPermissionSet(String permissionSetArn) {
        try {
            ssoAdmin.describePermissionSet(b -> b.instanceArn(instanceArn).permissionSetArn(permissionSetArn));
            return Optional.empty();
        } catch (SdkException e) {
            return Optional.of(permissionSetArn + ": " + describe(e));
        }
    }

    // ------------------------------------------------------------------ grant

    private sealed interface GrantStep {
        record Held(String note) implements GrantStep { }
        record Create() implements GrantStep { }
        record Poll(String creationRequestId) implements GrantStep { }
        record Busy(String why) implements GrantStep { }
    }

    @Override
    public ProviderResult grant(AccessGrant g) throws AccessProviderException {
        Optional<GrantObstacle> problem = targetProblem(g);
        if (problem.isPresent()) {
            throw new AccessProviderException(problem.get().reason());
        }
        String holder = g.requestId().value();
        try {
            String user = userId(g.requester().value()).orElseThrow(() -> new AccessProviderException(noUser(g.requester().value())));
            AssignmentKey key = new AssignmentKey(instanceArn, g.account(), g.target().get(PermissionSets.ATTRIBUTE), user);
            GrantStep step = ledger.change(key, a -> decideGrant(a, holder));
            if (step instanceof GrantStep.Held held) {
                return ProviderResult.of(null, held.note());
            }
            if (step instanceof GrantStep.Busy busy) {
                throw new AccessProviderException(busy.why());
            }
            String requestId;
            if (step instanceof GrantStep.Poll poll) {
                requestId = poll.creationRequestId();
                awaitCreation(key, requestId);
            } else {
                AccountAssignmentOperationStatus sent = create(key, holder);
                requestId = sent.requestId();
                if (sent.status() == StatusValues.IN_PROGRESS) {
                    awaitCreation(key, requestId);
                } else {
                    creationEnded(key, requestId, sent);
                }
            }
            return ProviderResult.of("assignment creation " + requestId, null);
        } catch (SdkException e) {
            throw new AccessProviderException("IAM Identity Center: " + describe(e), e);
        }
    }

    private GrantStep decideGrant(Assignment a, String holder) {
        Instant now = clock.instant();
        if (a.holders().contains(holder)) {
            switch (a.state()) {
                case PRESENT -> {
                    return new GrantStep.Held(a.origin() == Assignment.Origin.STANDING ? standingNote() : null);
                }
                case CREATING -> {
                    // a retry after a crash: the creation this request started is polled, or sent again if it never answered
                    return a.creationRequestId() == null ? new GrantStep.Create() : new GrantStep.Poll(a.creationRequestId());
                }
                default -> a.holders().remove(holder); // a stale hold (the assignment went away meanwhile): start over
            }
        }
        switch (a.state()) {
            case DELETING -> {
                return new GrantStep.Busy("the same assignment is being removed at the end of request " + a.releasedBy()
                        + "; the grant is tried again once it is gone");
            }
            case CREATING -> {
                if (a.creationRequestId() == null) {
                    return new GrantStep.Busy("the same assignment is being created for request "
                            + String.join(", ", a.holders()) + "; the grant is tried again");
                }
                a.holders().add(holder);
                return new GrantStep.Poll(a.creationRequestId());
            }
            case PRESENT -> {
                List<String> others = List.copyOf(a.holders());
                a.holders().add(holder);
                return new GrantStep.Held(a.origin() == Assignment.Origin.STANDING ? standingNote()
                        : "the user already holds this assignment through request " + String.join(", ", others)
                        + "; it is removed when the last of them ends");
            }
            default -> {
                // NB: never take over an assignment Clearance did not make: one that is there already is standing
                // access, held but never removed.
                if (assigned(a.key())) {
                    a.present(Assignment.Origin.STANDING, now);
                    a.holders().add(holder);
                    return new GrantStep.Held(standingNote());
                }
                a.startCreating(now);
                a.holders().add(holder);
                return new GrantStep.Create();
            }
        }
    }

    private static String standingNote() {
        return "the user had this assignment before this grant: it is left in place when the grant ends";
    }

    /** Whether the user has the assignment on AWS now. */
    private boolean assigned(AssignmentKey key) {
        return ssoAdmin.listAccountAssignmentsPaginator(b -> b.instanceArn(key.instanceArn()).accountId(key.accountId())
                        .permissionSetArn(key.permissionSetArn()))
                .accountAssignments().stream()
                .anyMatch(x -> x.principalType() == PrincipalType.USER && key.principalId().equals(x.principalId()));
    }

    /** Sends CreateAccountAssignment (the intent is already saved) and records its request id. */
    private AccountAssignmentOperationStatus create(AssignmentKey key, String holder) {
        AccountAssignmentOperationStatus status = ssoAdmin.createAccountAssignment(b -> b.instanceArn(key.instanceArn())
                .targetId(key.accountId()).targetType(TargetType.AWS_ACCOUNT).permissionSetArn(key.permissionSetArn())
                .principalType(PrincipalType.USER).principalId(key.principalId())).accountAssignmentCreationStatus();
        changeIf(key, a -> a.state() == Assignment.State.CREATING && a.holders().contains(holder), a -> {
            a.creationSent(status.requestId(), clock.instant());
        });
        return status;
    }

    /** Polls the creation until it succeeds; a failure ends every hold of it (each holder's next attempt starts over). */
    private void awaitCreation(AssignmentKey key, String requestId) throws AccessProviderException {
        creationEnded(key, requestId, poll(() -> ssoAdmin.describeAccountAssignmentCreationStatus(b -> b
                .instanceArn(key.instanceArn()).accountAssignmentCreationRequestId(requestId)).accountAssignmentCreationStatus(),
                "creation", requestId));
    }

    /** Records how a creation ended: the assignment is there, or (FAILED) nobody holds it and the attempt fails. */
    private void creationEnded(AssignmentKey key, String requestId, AccountAssignmentOperationStatus status)
            throws AccessProviderException {
        if (status.status() == StatusValues.SUCCEEDED) {
            changeIf(key, a -> a.state() == Assignment.State.CREATING && requestId.equals(a.creationRequestId()), a -> {
                a.present(Assignment.Origin.CLEARANCE, clock.instant());
            });
            return;
        }
        changeIf(key, a -> a.state() == Assignment.State.CREATING && requestId.equals(a.creationRequestId()), a -> {
            a.absent(clock.instant());
            a.holders().clear();
        });
        throw new AccessProviderException("IAM Identity Center could not create the assignment (" + key + "): "
                + Optional.ofNullable(status.failureReason()).orElse("no reason given") + " [request " + requestId + "]");
    }

    private interface StatusCall {
        AccountAssignmentOperationStatus get();
    }

    /** Polls until SUCCEEDED or FAILED; still IN_PROGRESS after the configured polls fails this attempt. */
    private AccountAssignmentOperationStatus poll(StatusCall call, String what, String requestId) throws AccessProviderException {
        for (int i = 1; ; i++) {
            AccountAssignmentOperationStatus status = call.get();
            if (status.status() == StatusValues.SUCCEEDED || status.status() == StatusValues.FAILED) {
                return status;
            }
            if (i >= settings.polls()) {
                throw new AccessProviderException("assignment " + what + " " + requestId + " still in progress after "
                        + i + " polls; the next attempt polls it again");
            }
            try {
                pause.pause(settings.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AccessProviderException("interrupted while polling assignment " + what + " " + requestId, e);
            }
        }
    }

    // ------------------------------------------------------------------ reconciliation

    /**
     * The assignments Clearance made that AWS has now (or may have: a creation still in progress, or one whose call
     * never answered), each with the requests that hold it. The ledger says which Clearance made; AWS is asked whether
     * each is there. NB: standing access (there before Clearance's first grant of it) is never listed, so never removed.
     */
    @Override
    public Optional<List<HeldAccess>> held() throws AccessProviderException {
        try {
            List<HeldAccess> held = new ArrayList<>();
            Map<String, Set<String>> assignedByTarget = new HashMap<>();
            for (Assignment a : ledger.madeByClearance()) {
                if (!mayBeAtAws(a, assignedByTarget)) {
                    continue;
                }
                Set<String> holders = new LinkedHashSet<>(a.holders());
                if (a.state() == Assignment.State.DELETING && a.releasedBy() != null) {
                    holders.add(a.releasedBy());
                }
                for (String holder : holders) {
                    held.add(new HeldAccess(new RequestId(holder), "assignment of " + a.key() + " (made by Clearance)"));
                }
            }
            return Optional.of(held);
        } catch (SdkException e) {
            throw new AccessProviderException("IAM Identity Center: " + describe(e), e);
        }
    }

    /** Whether AWS has (or may soon have) this assignment: asked, never assumed from the ledger. */
    private boolean mayBeAtAws(Assignment a, Map<String, Set<String>> assignedByTarget) {
        if (a.state() == Assignment.State.CREATING) {
            if (a.creationRequestId() == null) {
                return true; // the creation call never answered: it may have been made
            }
            StatusValues status = ssoAdmin.describeAccountAssignmentCreationStatus(b -> b.instanceArn(a.key().instanceArn())
                    .accountAssignmentCreationRequestId(a.creationRequestId())).accountAssignmentCreationStatus().status();
            if (status == StatusValues.IN_PROGRESS) {
                return true;
            }
            if (status == StatusValues.FAILED) {
                return false;
            }
        }
        AssignmentKey k = a.key();
        Set<String> principals = assignedByTarget.computeIfAbsent(k.instanceArn() + "|" + k.accountId() + "|"
                + k.permissionSetArn(), t -> {
                    Set<String> users = new HashSet<>();
                    ssoAdmin.listAccountAssignmentsPaginator(b -> b.instanceArn(k.instanceArn()).accountId(k.accountId())
                                    .permissionSetArn(k.permissionSetArn())).accountAssignments().stream()
                            .filter(x -> x.principalType() == PrincipalType.USER).forEach(x -> users.add(x.principalId()));
                    return users;
                });
        return principals.contains(k.principalId());
    }

    // ------------------------------------------------------------------ revoke

    private sealed interface RevokeStep {
        record Done(String note) implements RevokeStep { }
        record AwaitCreation(String creationRequestId) implements RevokeStep { }
        record Delete() implements RevokeStep { }
        record PollDeletion(String deletionRequestId) implements RevokeStep { }
        record Busy(String why) implements RevokeStep { }
    }

    @Override
    public ProviderResult revoke(AccessGrant g) throws AccessProviderException {
        String holder = g.requestId().value();
        Optional<AssignmentKey> held = ledger.keyOf(g.requestId());
        if (held.isEmpty()) {
            return ProviderResult.of(null, "no assignment was made for this request");
        }
        AssignmentKey key = held.get();
        try {
            for (int round = 0; round < 3; round++) {
                RevokeStep step = ledger.change(key, a -> decideRevoke(a, holder));
                if (step instanceof RevokeStep.Done done) {
                    return ProviderResult.of(null, done.note());
                } else if (step instanceof RevokeStep.Busy busy) {
                    throw new AccessProviderException(busy.why());
                } else if (step instanceof RevokeStep.AwaitCreation c) {
                    try {
                        awaitCreation(key, c.creationRequestId());
                    } catch (AccessProviderException failedOrSlow) {
                        if (ledger.change(key, a -> a.holders().contains(holder))) {
                            throw failedOrSlow; // still in progress: the next attempt waits on
                        }
                        // the creation failed: nothing to remove; the next round says so
                    }
                } else if (step instanceof RevokeStep.PollDeletion p) {
                    awaitDeletion(key, p.deletionRequestId());
                    return ProviderResult.of("assignment deletion " + p.deletionRequestId(), null);
                } else {
                    AccountAssignmentOperationStatus sent = delete(key, holder);
                    if (sent == null) {
                        return ProviderResult.of(null, "the assignment was already gone");
                    }
                    if (sent.status() == StatusValues.IN_PROGRESS) {
                        awaitDeletion(key, sent.requestId());
                    } else {
                        deletionEnded(key, sent.requestId(), sent);
                    }
                    return ProviderResult.of("assignment deletion " + sent.requestId(), null);
                }
            }
            throw new AccessProviderException("the assignment " + key + " kept changing; the revocation is tried again");
        } catch (SdkException e) {
            throw new AccessProviderException("IAM Identity Center: " + describe(e), e);
        }
    }

    private RevokeStep decideRevoke(Assignment a, String holder) {
        Instant now = clock.instant();
        if (!a.holders().contains(holder)) {
            if (a.state() == Assignment.State.DELETING && holder.equals(a.releasedBy())) {
                // a retry: the deletion this request started is polled, or sent again if it failed or never answered
                return a.deletionRequestId() == null ? new RevokeStep.Delete() : new RevokeStep.PollDeletion(a.deletionRequestId());
            }
            return new RevokeStep.Done(null);
        }
        if (a.holders().size() > 1) {
            a.holders().remove(holder);
            // NB: overlapping grants: the assignment stays until the last request holding it ends
            return new RevokeStep.Done("left in place: request " + String.join(", ", a.holders()) + " still holds it");
        }
        if (a.state() == Assignment.State.CREATING) {
            if (a.creationRequestId() != null) {
                return new RevokeStep.AwaitCreation(a.creationRequestId());
            }
            if (Duration.between(a.updatedAt(), now).compareTo(LOST_CREATION) < 0) {
                // NB: a creation call may still be on its way: deleting now could land before it and leave access
                return new RevokeStep.Busy("the assignment's creation has not answered yet; the revocation is tried again");
            }
            // the creation never answered (its instance died mid-call): delete whatever it may have made
        }
        a.holders().remove(holder);
        if (a.origin() == Assignment.Origin.STANDING && a.state() == Assignment.State.PRESENT) {
            // NB: Clearance never removes access it did not add
            a.absent(now);
            return new RevokeStep.Done("left in place: the user had this assignment before Clearance granted it");
        }
        a.startDeleting(holder, now);
        return new RevokeStep.Delete();
    }

    /** Sends DeleteAccountAssignment and records its request id; null when AWS says there is nothing to delete. */
    private AccountAssignmentOperationStatus delete(AssignmentKey key, String holder) {
        AccountAssignmentOperationStatus status;
        try {
            status = ssoAdmin.deleteAccountAssignment(b -> b.instanceArn(key.instanceArn()).targetId(key.accountId())
                    .targetType(TargetType.AWS_ACCOUNT).permissionSetArn(key.permissionSetArn())
                    .principalType(PrincipalType.USER).principalId(key.principalId())).accountAssignmentDeletionStatus();
        } catch (software.amazon.awssdk.services.ssoadmin.model.ResourceNotFoundException gone) {
            changeIf(key, a -> a.state() == Assignment.State.DELETING && holder.equals(a.releasedBy()), a -> {
                a.absent(clock.instant());
            });
            return null;
        }
        changeIf(key, a -> a.state() == Assignment.State.DELETING && holder.equals(a.releasedBy()), a -> {
            a.deletionSent(status.requestId(), clock.instant());
        });
        return status;
    }

    private void awaitDeletion(AssignmentKey key, String requestId) throws AccessProviderException {
        deletionEnded(key, requestId, poll(() -> ssoAdmin.describeAccountAssignmentDeletionStatus(b -> b
                .instanceArn(key.instanceArn()).accountAssignmentDeletionRequestId(requestId)).accountAssignmentDeletionStatus(),
                "deletion", requestId));
    }

    /** Records how a deletion ended: the assignment is gone, or (FAILED) the next attempt sends a new deletion. */
    private void deletionEnded(AssignmentKey key, String requestId, AccountAssignmentOperationStatus status)
            throws AccessProviderException {
        boolean succeeded = status.status() == StatusValues.SUCCEEDED;
        changeIf(key, a -> a.state() == Assignment.State.DELETING && requestId.equals(a.deletionRequestId()), a -> {
            if (succeeded) {
                a.absent(clock.instant());
            } else {
                a.deletionSent(null, clock.instant()); // the next attempt sends a new deletion
            }
        });
        if (!succeeded) {
            throw new AccessProviderException("IAM Identity Center could not delete the assignment (" + key + "): "
                    + Optional.ofNullable(status.failureReason()).orElse("no reason given") + " [request " + requestId + "]");
        }
    }

    /** Changes the ledger's record of {@code key} when it is still as {@code expected} says (another may have moved it). */
    private void changeIf(AssignmentKey key, java.util.function.Predicate<Assignment> expected,
                          java.util.function.Consumer<Assignment> change) {
        ledger.change(key, a -> {
            if (expected.test(a)) {
                change.accept(a);
            }
            return null;
        });
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
