package dev.clearance.core.service;

import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.UnknownAccounts;

import java.util.Optional;

/** The scope of a request: the one that declares its account, whatever the requester wrote. Intake and the dry run. */
final class RequestScopes {
    private RequestScopes() {
    }

    /**
     * NB: the scope decides who approves, who administers and who sees a request, so the requester never chooses
     * it: it is the scope that declares the account (the root for an account none declares, unless the policy file
     * refuses those). A {@code scope} given anyway must be that one; any other is refused, naming {@code scope}.
     */
    static ScopePath of(ClearanceConfig config, String account, Optional<String> requested) {
        Optional<ScopePath> declaring = config.tree().declaringScope(account);
        if (declaring.isEmpty() && config.unknownAccounts() == UnknownAccounts.REFUSE) {
            throw new InvalidInputException("account", "account " + account + " is not declared in any scope of the "
                    + "policy file, and unknown-accounts is refuse: ask an admin to add it to the scope it belongs to");
        }
        ScopePath scope = declaring.orElse(config.tree().root());
        Optional<String> given = requested.map(String::strip).filter(s -> !s.isEmpty());
        if (given.isPresent() && !given.get().equals(scope.value())) {
            throw new InvalidInputException("scope", "the scope follows from the account: account " + account
                    + " belongs to scope " + scope + (declaring.isEmpty() ? " (no scope declares it)" : "")
                    + "; leave scope out or write " + scope);
        }
        return scope;
    }
}
