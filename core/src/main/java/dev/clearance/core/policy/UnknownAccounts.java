package dev.clearance.core.policy;

/** What intake does with an account that no scope declares ({@code unknown-accounts} in the policy file). */
public enum UnknownAccounts {
    /** The request belongs to the root scope: its approvers and admins decide. The default. */
    ROOT,
    /** The request is refused, naming the account: only declared accounts can be requested. */
    REFUSE
}
