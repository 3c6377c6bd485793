package dev.clearance.core.policy;


/** The current, validated policy configuration. */
public interface PolicySource {
    ClearanceConfig current();
}
