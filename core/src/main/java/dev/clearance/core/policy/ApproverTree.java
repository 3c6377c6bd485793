package dev.clearance.core.policy;

import dev.clearance.core.model.ScopePath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hierarchy of scopes. An approver at a scope may decide requests at that scope and below; an admin at a
 * scope administers everything below it (admins at the root administer everything).
 */
public final class ApproverTree {
    private final ScopePath root;
    private final Map<ScopePath, Scope> scopes;

    public ApproverTree(ScopePath root, Map<ScopePath, Scope> scopes) {
        this.root = root;
        this.scopes = Map.copyOf(scopes);
        for (ScopePath path : scopes.keySet()) {
            if (!root.isSelfOrAncestorOf(path)) {
                throw new IllegalArgumentException("scope '" + path + "' is not under the root '" + root + "'");
            }
        }
    }

    public ScopePath root() {
        return root;
    }

    public boolean contains(ScopePath path) {
        return scopes.containsKey(path);
    }

    public Optional<Scope> scope(ScopePath path) {
        return Optional.ofNullable(scopes.get(path));
    }

    public List<ScopePath> paths() {
        return scopes.keySet().stream().sorted(java.util.Comparator.comparing(ScopePath::value)).toList();
    }

    /** Where an account is declared; the root when it is declared nowhere. */
    public ScopePath scopeOfAccount(String account) {
        return declaringScope(account).orElse(root);
    }

    /**
     * The scope that declares this account, if one does. NB: compared ignoring ASCII case, as the policies' account
     * globs and the denial cooldown compare it: {@code PROD-MAIN} must not leave the scope that declares
     * {@code prod-main} for the root, past that scope's approvers and admins, while the same policies apply.
     */
    public Optional<ScopePath> declaringScope(String account) {
        return scopes.values().stream()
                .filter(s -> account != null && s.accounts().stream().anyMatch(account::equalsIgnoreCase))
                .map(Scope::path)
                .max(java.util.Comparator.comparingInt(ScopePath::depth));
    }

    /** The approval channels of the nearest scope (this one or above) that has any. */
    public java.util.Map<String, String> approvalChannels(ScopePath path) {
        return selfAndAncestors(path).stream().map(Scope::approvalChannels).filter(m -> !m.isEmpty()).findFirst()
                .orElse(java.util.Map.of());
    }

    /** The declared scopes from {@code path} up to the root, nearest first. */
    public List<Scope> selfAndAncestors(ScopePath path) {
        List<Scope> chain = new ArrayList<>();
        for (ScopePath p : path.selfAndAncestors()) {
            Scope s = scopes.get(p);
            if (s != null) {
                chain.add(s);
            }
        }
        return chain;
    }
}
