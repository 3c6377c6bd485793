package dev.clearance.app.config;

import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.Detection;
import dev.clearance.core.policy.GlobPattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.MappingNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The policy file's {@code detection} section: which denied AWS calls open a request ({@code protected}, IAM action
 * globs), which send the disabled-service notice ({@code disabled-services}), which error codes count as a denial
 * ({@code denial-codes}), how soon after a denial a new attempt may open a new request ({@code new-request-after-denial})
 * and which principals that are not Identity Center sessions stand for whom ({@code identities}).
 */
final class DetectionSection {
    /** The keys {@code detection} accepts (the schema's {@code detection.properties}). */
    static final Set<String> KEYS = Set.of("protected", "disabled-services", "denial-codes", "new-request-after-denial",
            "identities");
    static final Pattern ACTION_GLOB = Pattern.compile("^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$");
    static final Pattern SERVICE = Pattern.compile("^[a-z0-9-]{1,64}$");
    static final Pattern CODE_GLOB = Pattern.compile("^[A-Za-z0-9.*?_-]{1,128}$");
    static final Pattern PRINCIPAL_ARN = Pattern.compile("^arn:aws[a-z-]*:(iam|sts)::\\d{12}:[A-Za-z0-9+=,.@_/*-]{1,512}$");
    private final PolicyYaml yaml;

    DetectionSection(PolicyYaml yaml) {
        this.yaml = yaml;
    }

    Detection read(Node node) {
        Detection none = Detection.none();
        if (node == null) {
            return none;
        }
        Map<String, Node> m = yaml.mapping(node, "detection", KEYS);
        List<GlobPattern> protectedActions = globs(m.get("protected"), "detection.protected", ACTION_GLOB,
                "an IAM action or glob such as s3:Delete* or iam:*");
        Set<String> disabled = new LinkedHashSet<>();
        if (m.containsKey("disabled-services")) {
            for (Node item : yaml.sequence(m.get("disabled-services"), "detection.disabled-services")) {
                String v = yaml.scalar(item, "detection.disabled-services").trim();
                if (SERVICE.matcher(v).matches()) {
                    disabled.add(v);
                } else {
                    yaml.problem(item, "detection.disabled-services", "'" + v + "' is not a service prefix such as sagemaker");
                }
            }
        }
        List<GlobPattern> codes = m.containsKey("denial-codes")
                ? globs(m.get("denial-codes"), "detection.denial-codes", CODE_GLOB, "an error code or glob such as AccessDenied*")
                : none.denialCodes();
        if (m.containsKey("denial-codes") && codes.isEmpty()) {
            yaml.problem(m.get("denial-codes"), "detection.denial-codes", "give at least one code (or leave the key out"
                    + " for the default: AccessDenied*, *UnauthorizedOperation)");
        }
        Duration cooldown = yaml.intervalOrOff(m.get("new-request-after-denial"), "detection.new-request-after-denial",
                none.newRequestAfterDenial());
        Map<String, UserEmail> identities = identities(m.get("identities"));
        for (String service : disabled) {
            protectedActions.stream().filter(g -> g.toString().toLowerCase(java.util.Locale.ROOT).startsWith(service + ":"))
                    .findFirst().ifPresent(g -> yaml.problem(m.get("disabled-services"), "detection.disabled-services",
                            "'" + service + "' is disabled, yet detection.protected lists " + g + ": a disabled service's"
                                    + " attempts only send the notice; remove one of the two"));
        }
        return new Detection(protectedActions, disabled, codes, cooldown, identities);
    }

    private List<GlobPattern> globs(Node node, String key, Pattern shape, String expected) {
        List<GlobPattern> globs = new ArrayList<>();
        if (node == null) {
            return globs;
        }
        for (Node item : yaml.sequence(node, key)) {
            String v = yaml.scalar(item, key).trim();
            if (!shape.matcher(v).matches()) {
                yaml.problem(item, key, "'" + v + "' is not " + expected);
                continue;
            }
            globs.add(GlobPattern.compile(v));
        }
        return globs;
    }

    private Map<String, UserEmail> identities(Node node) {
        Map<String, UserEmail> identities = new LinkedHashMap<>();
        if (node == null) {
            return identities;
        }
        if (!(node instanceof MappingNode mapping)) {
            yaml.problem(node, "detection.identities", "expected a mapping of principal ARN to email");
            return identities;
        }
        for (NodeTuple t : mapping.getValue()) {
            String arn = yaml.scalar(t.getKeyNode(), "detection.identities").trim();
            if (!PRINCIPAL_ARN.matcher(arn).matches()) {
                yaml.problem(t.getKeyNode(), "detection.identities", "'" + arn + "' is not an IAM user or role ARN"
                        + " (arn:aws:iam::123456789012:user/NAME)");
                continue;
            }
            yaml.email(t.getValueNode(), "detection.identities[" + arn + "]").ifPresent(e -> identities.put(arn, e));
        }
        return identities;
    }
}
