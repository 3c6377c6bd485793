package dev.clearance.core.port;

/**
 * Why an access provider could not grant an access, known before anyone approves it.
 *
 * @param field  what the requester or an admin would change: {@code requester}, {@code account} or {@code policy}
 * @param reason a sentence naming what to fix
 */
public record GrantObstacle(String field, String reason) {
}
