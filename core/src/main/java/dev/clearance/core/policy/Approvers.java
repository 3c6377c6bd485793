package dev.clearance.core.policy;

import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.Directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may decide and who gets pinged, from the policy, the approver tree and the directory.
 * <p>
 * A step's eligible approvers are its named users and group members, plus (for {@code scope-approvers}) the
 * approvers at the request's scope and every scope above it. At level 0 only the nearest scope with approvers is
 * pinged; each escalation pings the next level up, and past the root it repeats the admins. People pinged by an
 * escalation become eligible for the current step. Admins of the scope are always eligible.
 */
public final class Approvers {
    private final ClearanceConfig config;
    private final Directory directory;

    public Approvers(ClearanceConfig config, Directory directory) {
        this.config = config;
        this.directory = directory;
    }

    public Set<UserEmail> expand(ApproverSet set) {
        Set<UserEmail> people = new TreeSet<>(set.users());
        for (String group : set.groups()) {
            people.addAll(directory.groupMembers(group));
        }
        return people;
    }

    /** Approver sets from the request's scope up to the root, nearest first, skipping scopes without approvers. */
    public List<Set<UserEmail>> scopeLevels(ScopePath scope) {
        List<Set<UserEmail>> levels = new ArrayList<>();
        for (Scope s : config.tree().selfAndAncestors(scope)) {
            Set<UserEmail> people = expand(s.approvers());
            if (!people.isEmpty()) {
                levels.add(people);
            }
        }
        return levels;
    }

    /** Admins of this scope: those declared here and at every scope above. */
    public Set<UserEmail> admins(ScopePath scope) {
        Set<UserEmail> admins = new TreeSet<>();
        for (Scope s : config.tree().selfAndAncestors(scope)) {
            admins.addAll(expand(s.admins()));
        }
        return admins;
    }

    public boolean isAdmin(UserEmail who, ScopePath scope) {
        return admins(scope).contains(who);
    }

    /** Admin of the root: sees and administers everything. */
    public boolean isGlobalAdmin(UserEmail who) {
        return admins(config.root()).contains(who);
    }

    /** Eligible by the step itself, before escalation and without admins. */
    public Set<UserEmail> stepApprovers(Policy policy, int step, ScopePath scope) {
        PolicyStep s = policy.step(step);
        Set<UserEmail> people = expand(s.approvers());
        if (s.approvers().scopeApprovers()) {
            scopeLevels(scope).forEach(people::addAll);
        }
        return people;
    }

    /** Who is pinged when the step starts. Falls back to the admins so that no step waits on nobody. */
    public Set<UserEmail> initialRecipients(Policy policy, int step, ScopePath scope) {
        PolicyStep s = policy.step(step);
        Set<UserEmail> people = expand(s.approvers());
        if (s.approvers().scopeApprovers()) {
            List<Set<UserEmail>> levels = scopeLevels(scope);
            if (!levels.isEmpty()) {
                people.addAll(levels.get(0));
            }
        }
        return people.isEmpty() ? admins(scope) : people;
    }

    /** Who is pinged at escalation {@code level} (1 = first escalation). */
    public Set<UserEmail> escalationRecipients(Policy policy, int step, ScopePath scope, int level) {
        if (level < 1) {
            return initialRecipients(policy, step, scope);
        }
        List<Set<UserEmail>> levels = scopeLevels(scope);
        int offset = policy.step(step).approvers().scopeApprovers() ? 1 : 0;
        int index = level - 1 + offset;
        if (index < levels.size()) {
            return new TreeSet<>(levels.get(index));
        }
        return admins(scope);
    }

    /** Everyone whose approval counts at this step and escalation level (before the self-approval rule). */
    public Set<UserEmail> eligible(Policy policy, int step, ScopePath scope, int escalationLevel) {
        Set<UserEmail> people = stepApprovers(policy, step, scope);
        for (int level = 1; level <= escalationLevel; level++) {
            people.addAll(escalationRecipients(policy, step, scope, level));
        }
        people.addAll(admins(scope));
        return people;
    }
}
