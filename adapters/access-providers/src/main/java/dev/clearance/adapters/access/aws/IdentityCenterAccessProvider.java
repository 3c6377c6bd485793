package dev.clearance.adapters.access.aws;

import dev.clearance.adapters.access.aws.AssignmentPlanner.GrantStep;
import dev.clearance.adapters.access.aws.AssignmentPlanner.RevokeStep;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.GrantObstacle;
import dev.clearance.core.port.HeldAccess;
import dev.clearance.core.port.ProviderResult;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.identitystore.IdentitystoreClient;
import software.amazon.awssdk.services.ssoadmin.SsoAdminClient;
import software.amazon.awssdk.services.ssoadmin.model.AccountAssignmentOperationStatus;
import software.amazon.awssdk.services.ssoadmin.model.StatusValues;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Grants access by assigning an IAM Identity Center permission set to the requester's Identity Center user on the
 * request's AWS account, and revokes it by deleting that assignment: each step is planned by
 * {@link AssignmentPlanner} on the ledger's record, and carried out through {@link IdentityCenterClient}.
 * <p>
 * Overlap-safe: the {@link AssignmentLedger} records which requests hold each assignment and whether Clearance created
 * it. An assignment the user already had (standing access) is never removed, and one that several requests hold is
 * removed when the last of them ends. AWS calls that change an assignment are made outside the ledger's lock, with
 * the intent saved first, so a crash between "asked AWS" and "recorded the answer" is resumed, never repeated blindly:
 * a restart polls the creation it had started instead of creating again.
 */
public final class IdentityCenterAccessProvider implements AccessProvider {
    public static final String NAME = "aws-identity-center";

    private final IdentityCenterClient aws;
    private final AssignmentLedger ledger;
    private final Clock clock;

    /**
     * Resolves the instance and identity store now (ListInstances when they are not configured), so that a wrong
     * setup stops the start with a message naming what to set.
     */
    public IdentityCenterAccessProvider(SsoAdminClient ssoAdmin, IdentitystoreClient identityStore, AssignmentLedger ledger,
                                        IdentityCenterSettings settings, Clock clock, Pause pause) {
        this(new IdentityCenterClient(ssoAdmin, identityStore, settings, pause), ledger, clock);
    }

    private IdentityCenterAccessProvider(IdentityCenterClient aws, AssignmentLedger ledger, Clock clock) {
        this.aws = aws;
        this.ledger = ledger;
        this.clock = clock;
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
            public <T> T change(AssignmentKey key, Function<Assignment, T> change) {
                throw new IllegalStateException("validate-config grants nothing");
            }

            @Override
            public Optional<AssignmentKey> keyOf(RequestId request) {
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
        return new IdentityCenterAccessProvider(IdentityCenterClient.fromEnvironment(settings, pause), ledger, clock);
    }

    @Override
    public String name() {
        return NAME;
    }

    public String instanceArn() {
        return aws.instanceArn();
    }

    public String identityStoreId() {
        return aws.identityStoreId();
    }

    // ------------------------------------------------------------------ before anyone approves

    @Override
    public Optional<GrantObstacle> whyCannotGrant(AccessGrant g) {
        Optional<GrantObstacle> target = AssignmentPlanner.targetProblem(g);
        if (target.isPresent()) {
            return target;
        }
        try {
            return aws.userId(g.requester().value()).isPresent() ? Optional.empty()
                    : Optional.of(new GrantObstacle("requester", aws.noUser(g.requester().value())));
        } catch (SdkException e) {
            return Optional.empty(); // AWS unreachable now: the grant itself will tell
        }
    }

    /** {@code validate-config --check-aws}: the permission set exists in the instance; empty when it does. */
    public Optional<String> checkPermissionSet(String permissionSetArn) {
        return aws.checkPermissionSet(permissionSetArn);
    }

    // ------------------------------------------------------------------ grant

    @Override
    public ProviderResult grant(AccessGrant g) throws AccessProviderException {
        Optional<GrantObstacle> problem = AssignmentPlanner.targetProblem(g);
        if (problem.isPresent()) {
            throw new AccessProviderException(problem.get().reason());
        }
        String holder = g.requestId().value();
        try {
            String user = aws.userId(g.requester().value())
                    .orElseThrow(() -> new AccessProviderException(aws.noUser(g.requester().value())));
            AssignmentKey key = new AssignmentKey(aws.instanceArn(), g.account(), g.target().get(PermissionSets.ATTRIBUTE), user);
            GrantStep step = ledger.change(key, a -> AssignmentPlanner.grant(a, holder, clock.instant(), aws::assigned));
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
            throw new AccessProviderException("IAM Identity Center: " + IdentityCenterClient.describe(e), e);
        }
    }

    /** Sends CreateAccountAssignment (the intent is already saved) and records its request id. */
    private AccountAssignmentOperationStatus create(AssignmentKey key, String holder) {
        AccountAssignmentOperationStatus status = aws.create(key);
        changeIf(key, a -> a.state() == Assignment.State.CREATING && a.holders().contains(holder), a -> {
            a.creationSent(status.requestId(), clock.instant());
        });
        return status;
    }

    /** Polls the creation until it succeeds; a failure ends every hold of it (each holder's next attempt starts over). */
    private void awaitCreation(AssignmentKey key, String requestId) throws AccessProviderException {
        creationEnded(key, requestId, aws.awaitCreation(key, requestId));
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
                for (String holder : AssignmentPlanner.holders(a)) {
                    held.add(new HeldAccess(new RequestId(holder), "assignment of " + a.key() + " (made by Clearance)"));
                }
            }
            return Optional.of(held);
        } catch (SdkException e) {
            throw new AccessProviderException("IAM Identity Center: " + IdentityCenterClient.describe(e), e);
        }
    }

    /** Whether AWS has (or may soon have) this assignment: asked, never assumed from the ledger. */
    private boolean mayBeAtAws(Assignment a, Map<String, Set<String>> assignedByTarget) {
        if (a.state() == Assignment.State.CREATING) {
            if (a.creationRequestId() == null) {
                return true; // the creation call never answered: it may have been made
            }
            StatusValues status = aws.creationStatus(a.key(), a.creationRequestId());
            if (status == StatusValues.IN_PROGRESS) {
                return true;
            }
            if (status == StatusValues.FAILED) {
                return false;
            }
        }
        AssignmentKey k = a.key();
        Set<String> principals = assignedByTarget.computeIfAbsent(k.instanceArn() + "|" + k.accountId() + "|"
                + k.permissionSetArn(), t -> aws.assignedUsers(k));
        return principals.contains(k.principalId());
    }

    // ------------------------------------------------------------------ revoke

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
                RevokeStep step = ledger.change(key, a -> AssignmentPlanner.revoke(a, holder, clock.instant()));
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
                    Optional<AccountAssignmentOperationStatus> sent = delete(key, holder);
                    if (sent.isEmpty()) {
                        return ProviderResult.of(null, "the assignment was already gone");
                    }
                    if (sent.get().status() == StatusValues.IN_PROGRESS) {
                        awaitDeletion(key, sent.get().requestId());
                    } else {
                        deletionEnded(key, sent.get().requestId(), sent.get());
                    }
                    return ProviderResult.of("assignment deletion " + sent.get().requestId(), null);
                }
            }
            throw new AccessProviderException("the assignment " + key + " kept changing; the revocation is tried again");
        } catch (SdkException e) {
            throw new AccessProviderException("IAM Identity Center: " + IdentityCenterClient.describe(e), e);
        }
    }

    /** Sends DeleteAccountAssignment and records its request id; empty when AWS says there is nothing to delete. */
    private Optional<AccountAssignmentOperationStatus> delete(AssignmentKey key, String holder) {
        Optional<AccountAssignmentOperationStatus> status = aws.delete(key);
        changeIf(key, a -> a.state() == Assignment.State.DELETING && holder.equals(a.releasedBy()), a -> {
            if (status.isEmpty()) {
                a.absent(clock.instant());
            } else {
                a.deletionSent(status.get().requestId(), clock.instant());
            }
        });
        return status;
    }

    private void awaitDeletion(AssignmentKey key, String requestId) throws AccessProviderException {
        deletionEnded(key, requestId, aws.awaitDeletion(key, requestId));
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
    private void changeIf(AssignmentKey key, Predicate<Assignment> expected, Consumer<Assignment> change) {
        ledger.change(key, a -> {
            if (expected.test(a)) {
                change.accept(a);
            }
            return null;
        });
    }
}
