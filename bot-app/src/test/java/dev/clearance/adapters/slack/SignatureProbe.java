package dev.clearance.adapters.slack;

/** Test access to the package-private signature check. */
public final class SignatureProbe {
    private SignatureProbe() {
    }

    public static boolean valid(SlackSignatureFilter filter, String timestamp, String body, String signature) {
        return filter.isValid(timestamp, body, signature);
    }
}
