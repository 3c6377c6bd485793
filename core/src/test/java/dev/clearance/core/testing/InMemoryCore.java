package dev.clearance.core.testing;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.ApproverSet;
import dev.clearance.core.policy.ApproverTree;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.ConfiguredDirectory;
import dev.clearance.core.policy.Intervals;
import dev.clearance.core.policy.Limits;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.Scope;
import dev.clearance.core.policy.UnknownAccounts;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.Commands;
import dev.clearance.core.service.InMemoryPorts;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The real application services over small stateful fakes of the core's ports, for in-process adapter tests. The
 * organisation: scope org (approver olga, admin root) above org/prod (approver pat, account 123456789012); bob and sam
 * approve nothing. Everyone's Slack id (U and their name in capitals) and Entra object id (aad- and their name) are declared
 * in the policy file.
 */
public final class InMemoryCore {
    private final ClearanceConfig config = config();
    private final InMemoryPorts ports = new InMemoryPorts(config);
    public final Clock clock = ports.clock;
    public final ConfiguredDirectory directory = new ConfiguredDirectory(config);
    public final AccessRequestService service = ports.service;
    public final RequestQueries queries = new RequestQueries(ports.ctx);
    public final RequestViews views = new RequestViews(() -> config, directory, clock, ports.store);

    /** A request by {@code requester} with a justification: PENDING, waiting for olga (or root). */
    public String pending(String requester, String resource) {
        return service.intake(new Commands.Intake(UserEmail.of(requester + "@example.com"), resource, "210987654321", Optional.empty(),
                Optional.of("1h"), Optional.of("debugging"), Optional.of("api"), Optional.empty(), Origin.api("test")))
                .request().id().value();
    }

    public Status status(String id) {
        return ports.store.find(new RequestId(id)).orElseThrow().status();
    }

    private static UserEmail e(String local) {
        return UserEmail.of(local + "@example.com");
    }

    private static ApproverSet users(String... locals) {
        return new ApproverSet(java.util.Arrays.stream(locals).map(InMemoryCore::e).collect(Collectors.toSet()), Set.of(), false);
    }

    private static ClearanceConfig config() {
        Map<UserEmail, Person> people = new LinkedHashMap<>();
        for (String name : List.of("bob", "olga", "pat", "sam", "root")) {
            people.put(e(name), new Person(e(name), name, Map.of("slack", "U" + name.toUpperCase(java.util.Locale.ROOT),
                    "teams", "aad-" + name), List.of()));
        }
        Map<ScopePath, Scope> scopes = new LinkedHashMap<>();
        scopes.put(ScopePath.of("org"), new Scope(ScopePath.of("org"), users("olga"), users("root"), Set.of()));
        scopes.put(ScopePath.of("org/prod"), new Scope(ScopePath.of("org/prod"), users("pat"), users(), Set.of("123456789012")));
        return new ClearanceConfig(people, Map.of(), new ApproverTree(ScopePath.of("org"), scopes), List.of(),
                Policy.defaultPolicy(AccessDuration.parse("8h")), Intervals.defaults(), UnknownAccounts.ROOT, Limits.none());
    }
}
