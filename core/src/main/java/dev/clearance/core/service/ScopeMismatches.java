package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.ClearanceConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * At startup: the active requests whose scope is not their account's. Before the scope followed from the account, a
 * requester could pick one (and so pick approvers who would approve, or approve it themselves), and the account's own
 * admins neither saw nor could revoke it. Each such request is reported to the admins of the account's scope and
 * above, once per request (a restart does not report it again); the caller logs the list.
 */
public final class ScopeMismatches {
    /** Active requests read at most: far more than a deployment holds. */
    public static final int SCAN_LIMIT = 100_000;

    private final LifecycleContext ctx;

    public ScopeMismatches(LifecycleContext ctx) {
        this.ctx = ctx;
    }

    /** One active request in another scope than its account's. */
    public record Mismatch(AccessRequest request, ScopePath expected) {
    }

    /** Finds every active request whose scope is not its account's, and reports each to the admins. */
    public List<Mismatch> report() {
        ClearanceConfig config = ctx.config();
        List<AccessRequest> active = ctx.store().findAllActive(SCAN_LIMIT);
        List<Mismatch> found = new ArrayList<>();
        for (AccessRequest r : active) {
            ScopePath expected = config.tree().scopeOfAccount(r.account());
            if (!expected.equals(r.scope())) {
                found.add(new Mismatch(r, expected));
            }
        }
        for (Mismatch m : found) {
            AccessRequest r = m.request();
            Map<String, String> params = new LinkedHashMap<>();
            params.put("id", r.id().value());
            params.put("status", r.status().name());
            params.put("requester", r.requester().value());
            params.put("resource", r.resource());
            params.put("account", r.account());
            params.put("scope", r.scope().value());
            params.put("expected", m.expected().value());
            Set<UserEmail> admins = new TreeSet<>(ctx.approvers().admins(m.expected()));
            admins.addAll(ctx.approvers().admins(config.root()));
            ctx.transactions().run(() -> {
                for (UserEmail admin : admins) {
                    // NB: the dedupe key makes a restart report the same request once only.
                    ctx.outbox().enqueue(new OutboundMessage(NotificationKind.ADMIN_SCOPE_MISMATCH, Optional.empty(),
                            Optional.of(admin), "scope-mismatch:" + r.id() + ":" + r.scope() + ":" + admin, params));
                }
            });
        }
        return found;
    }
}
