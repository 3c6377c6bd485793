package dev.clearance.adapters.detection;

import dev.clearance.core.detect.Caller;
import dev.clearance.core.model.UserEmail;
import tools.jackson.databind.JsonNode;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who made a call, from CloudTrail's {@code userIdentity} (what AWS authenticated; see the CloudTrail User Guide,
 * "CloudTrail userIdentity element"). An IAM Identity Center permission set's role session is a person, named by the
 * identity store; any other identity is its ARN, which the policy file may map to a person.
 * <p>
 * NB: nothing here is read from the request's parameters or the response: only from {@code userIdentity}.
 */
final class Callers {
    static final String RESERVED_PREFIX = "AWSReservedSSO_";
    /**
     * NB: an Identity Center role lives under the reserved path {@code /aws-reserved/sso.amazonaws.com/} (with a region
     * segment since 2023), which no one can create roles in; a role merely named {@code AWSReservedSSO_…} elsewhere is
     * anyone's, and its session names are whatever its assumer chose.
     */
    private static final Pattern IDENTITY_CENTER_ROLE = Pattern.compile(
            "arn:aws[a-z-]*:iam::(\\d{12}):role/aws-reserved/sso\\.amazonaws\\.com/(?:[a-z0-9-]+/)?(AWSReservedSSO_[\\w+=,.@-]+)");
    private static final Pattern ASSUMED_ROLE = Pattern.compile(
            "arn:aws[a-z-]*:sts::(\\d{12}):assumed-role/([\\w+=,.@-]+)/([\\w+=,.@-]+)");
    private static final Pattern STORE_ARN = Pattern.compile("arn:aws[a-z-]*:identitystore::\\d{12}:identitystore/([A-Za-z0-9-]+)");

    private final IdentityCenterPeople people;

    Callers(IdentityCenterPeople people) {
        this.people = people;
    }

    Caller of(JsonNode identity) {
        String type = text(identity, "type");
        String arn = text(identity, "arn");
        return switch (type) {
            case "AssumedRole" -> assumedRole(identity, arn);
            case "IAMUser" -> new Caller(Caller.Kind.IAM_USER, Optional.empty(), arn, arn);
            case "Root" -> new Caller(Caller.Kind.ROOT, Optional.empty(), arn, arn.isEmpty() ? "root" : arn);
            default -> new Caller(Caller.Kind.OTHER, Optional.empty(), arn, describeOther(identity, type, arn));
        };
    }

    private Caller assumedRole(JsonNode identity, String arn) {
        JsonNode issuer = identity.path("sessionContext").path("sessionIssuer");
        Matcher session = ASSUMED_ROLE.matcher(arn);
        Matcher role = IDENTITY_CENTER_ROLE.matcher(text(issuer, "arn"));
        boolean identityCenter = text(issuer, "userName").startsWith(RESERVED_PREFIX) && session.matches() && role.matches()
                // the session is of that very role, in that very account
                && session.group(2).equals(role.group(2)) && session.group(2).equals(text(issuer, "userName"))
                && session.group(1).equals(role.group(1));
        if (!identityCenter) {
            return new Caller(Caller.Kind.ROLE, Optional.empty(), arn, arn);
        }
        JsonNode onBehalfOf = identity.path("onBehalfOf");
        Optional<String> userId = optional(text(onBehalfOf, "userId"));
        Optional<String> storeId = storeId(text(onBehalfOf, "identityStoreArn"));
        Optional<UserEmail> person = people.person(storeId, userId, session.group(3));
        return new Caller(Caller.Kind.IDENTITY_CENTER, person, arn, session.group(2) + "/" + session.group(3));
    }

    private static Optional<String> storeId(String arn) {
        Matcher m = STORE_ARN.matcher(arn);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** An AWS service, a federated user, an account: what CloudTrail names it by. */
    private static String describeOther(JsonNode identity, String type, String arn) {
        String who = !arn.isEmpty() ? arn : !text(identity, "invokedBy").isEmpty() ? text(identity, "invokedBy")
                : text(identity, "principalId");
        return (type.isEmpty() ? "unknown" : type) + (who.isEmpty() ? "" : " " + who);
    }

    private static Optional<String> optional(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isString() ? value.asString().strip() : "";
    }
}
