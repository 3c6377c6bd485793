package dev.clearance.core.port;

import dev.clearance.core.policy.ClearanceConfig;

/** The current, validated policy configuration. */
public interface PolicySource {
    ClearanceConfig current();
}
