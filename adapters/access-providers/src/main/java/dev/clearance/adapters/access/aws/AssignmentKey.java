package dev.clearance.adapters.access.aws;

/** One account assignment: this user holds this permission set on this account, in this Identity Center instance. */
public record AssignmentKey(String instanceArn, String accountId, String permissionSetArn, String principalId) {
    /** The ledger's key for it. */
    public String value() {
        return instanceArn + "|" + accountId + "|" + permissionSetArn + "|" + principalId;
    }

    @Override
    public String toString() {
        return permissionSetArn + " on " + accountId + " for user " + principalId;
    }
}
