package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.AccessProvider;

import java.util.Locale;
import java.util.Optional;

/**
 * The commands of the request lifecycle: intake, justify, abandon, decide, cancel, extend, revoke. The REST API and the
 * chat adapters call these and nothing else. Every rule is checked against the stored request at the moment of the
 * command, never against what the caller's message said. Each kind of command has its class: {@link RequestIntake},
 * {@link RequesterActions}, {@link Decisions}, {@link Revocations}.
 */
public final class AccessRequestService {
    private final RequestIntake intake;
    private final RequesterActions requester;
    private final Decisions decisions;
    private final Revocations revocations;

    public AccessRequestService(LifecycleContext ctx) {
        this(ctx, null);
    }

    /** With the access provider, whose {@link AccessProvider#whyCannotGrant} is asked before a request is stored. */
    public AccessRequestService(LifecycleContext ctx, AccessProvider provider) {
        Messages messages = new Messages(ctx.outbox());
        Extensions extensions = new Extensions(ctx, messages);
        PendingRounds pending = new PendingRounds(ctx, messages);
        this.intake = new RequestIntake(ctx, Optional.ofNullable(provider), messages, pending);
        this.revocations = new Revocations(ctx, messages);
        this.requester = new RequesterActions(ctx, messages, extensions, pending, revocations);
        this.decisions = new Decisions(ctx, messages, extensions, pending);
    }

    public record IntakeResult(AccessRequest request, boolean created) {
    }

    public IntakeResult intake(Commands.Intake cmd) {
        return intake.intake(cmd);
    }

    public AccessRequest justify(Commands.Justify cmd) {
        return requester.justify(cmd);
    }

    public AccessRequest abandon(RequestId id, UserEmail actor, Origin origin) {
        return requester.abandon(id, actor, origin);
    }

    /** Withdraws a request that is not decided yet; on an approved one, gives the access back early. */
    public AccessRequest cancel(RequestId id, UserEmail actor, Origin origin) {
        return requester.cancel(id, actor, origin);
    }

    public AccessRequest decide(Commands.Decide cmd) {
        return decisions.decide(cmd);
    }

    /**
     * Asks for more time on an active grant: creates an extension request, decided like any request under the grant's
     * policy. Answers with the pending extension that already exists, if there is one ({@code created} false).
     */
    public IntakeResult extend(Commands.Extend cmd) {
        return requester.extend(cmd);
    }

    public AccessRequest revoke(RequestId id, UserEmail actor, String reasonText, Origin origin) {
        return revocations.revoke(id, actor, reasonText, origin);
    }

    /** A notice only: the service is disabled in that account, so no request is created. */
    public void notifyServiceDisabled(Commands.DisabledService cmd) {
        intake.notifyServiceDisabled(cmd);
    }

    static ConflictException alreadyFinished(AccessRequest r, String what) {
        String by = r.decidedBy().map(who -> " by " + who + r.decidedAt().map(at -> " at " + at).orElse(""))
                .orElse("");
        String state = switch (r.status()) {
            case APPROVED -> "already approved" + by;
            case DENIED -> "already denied" + by;
            default -> r.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
        return new ConflictException("cannot " + what + " " + r.id() + ": it is " + state);
    }

}
