package dev.clearance.core.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a policy's {@code grant} section may say, in the terms of the access provider that acts on it: the policy file
 * loader reads the section's keys and values and asks this which are wrong, so that a mistake fails at startup (with
 * the file and line) rather than at the first grant.
 */
public interface GrantSectionValidator {
    /** The keys a {@code grant} mapping may have; a grant must name at least one. */
    Set<String> keys();

    /**
     * What is wrong with one policy's grant, given the values of its keys (only keys from {@link #keys()}); empty when
     * nothing is.
     */
    List<Problem> problems(Map<String, String> grant);

    /**
     * Why access could never be granted on this account, asked of every account the file names when any policy grants
     * something (the account is where the grant is made); empty when it could.
     */
    Optional<String> accountProblem(String account);

    /**
     * One problem with a grant.
     *
     * @param key     the grant's key whose value is wrong; empty for the grant as a whole (something missing)
     * @param message what is wrong and what to write instead
     */
    record Problem(Optional<String> key, String message) {
    }
}
