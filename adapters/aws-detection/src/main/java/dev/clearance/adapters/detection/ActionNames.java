package dev.clearance.adapters.detection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM action a denied call needed, and the resource it was denied on: from the error message when it names them
 * ("User: arn:… is not authorized to perform: s3:DeleteBucket on resource: arn:aws:s3:::x because …"), else from the
 * event's source and name through {@code action-names.txt} (where the API and the permission are named differently).
 * <p>
 * The message patterns follow tenable/access-undenied-aws ({@code definitions/access_denied_message_patterns.json})
 * and the AWS Knowledge Center's "UnauthorizedOperation" article (EC2's "You are not authorized to perform this
 * operation. User: … is not authorized to perform: ec2:RunInstances on resource: … Encoded authorization failure
 * message: …").
 */
public final class ActionNames {
    /** An IAM action as policies write it: a lower-case service prefix, a colon, a name (a glob in a few messages). */
    private static final String ACTION = "([a-z0-9][a-z0-9-]{0,63}:[A-Za-z0-9*]{1,128})";
    /**
     * NB: the first "not authorized to perform" wins. What precedes it is the principal's ARN, which AWS writes and
     * which holds no spaces (role session names allow none), so a caller cannot slip an action of their choosing in
     * ahead of the real one.
     */
    private static final Pattern NOT_AUTHORIZED = Pattern.compile(
            "not authorized to perform:?\\s*\\(?" + ACTION + "\\)?(?=[\\s.,;)]|$)", Pattern.CASE_INSENSITIVE);
    /** "Principal [arn] is not allowed to execute [kafka-cluster:Connect] on the resource" */
    private static final Pattern NOT_ALLOWED = Pattern.compile("is not allowed to execute \\[" + ACTION + "]",
            Pattern.CASE_INSENSITIVE);
    /** S3's messages quote the ARN ({@code on resource: "arn:aws:s3:::bucket"}), most others do not. */
    private static final Pattern ON_RESOURCE = Pattern.compile("on resource:\\s*\"?(arn:[^\\s\"]{1,2000})");
    /** A trailing API version: Lambda's 20150331 and 20150331v2, CloudFront's 2020_05_31. */
    private static final Pattern VERSION = Pattern.compile("^([A-Za-z][A-Za-z0-9]*?)(\\d{8}(v\\d+)?|\\d{4}_\\d{2}_\\d{2})$");
    private static final Pattern ENDPOINT = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");

    private final Map<String, String> sources;
    private final Map<String, String> events;

    private ActionNames(Map<String, String> sources, Map<String, String> events) {
        this.sources = Map.copyOf(sources);
        this.events = Map.copyOf(events);
    }

    /** The mapping shipped with Clearance ({@code action-names.txt} beside this class). */
    public static ActionNames standard() {
        try (InputStream in = ActionNames.class.getResourceAsStream("action-names.txt")) {
            if (in == null) {
                throw new IllegalStateException("action-names.txt is missing from the classpath");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ActionNames parse(BufferedReader lines) throws IOException {
        Map<String, String> sources = new HashMap<>();
        Map<String, String> events = new HashMap<>();
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.split("\\s+");
            if (parts.length != 3 || !(parts[0].equals("source") || parts[0].equals("event"))) {
                throw new IllegalStateException("action-names.txt line " + number + ": expected 'source <endpoint> <prefix>'"
                        + " or 'event <prefix>:<EventName> <action>', got '" + text + "'");
            }
            (parts[0].equals("source") ? sources : events).put(parts[1], parts[2]);
        }
        return new ActionNames(sources, events);
    }

    /** The action and resource a denial message names, when it names an action. */
    public Optional<Named> fromMessage(String errorMessage) {
        if (errorMessage == null || errorMessage.isBlank()) {
            return Optional.empty();
        }
        String message = errorMessage.length() > 8192 ? errorMessage.substring(0, 8192) : errorMessage;
        Matcher m = NOT_AUTHORIZED.matcher(message);
        Matcher alt = NOT_ALLOWED.matcher(message);
        String action;
        int end;
        if (m.find()) {
            action = m.group(1);
            end = m.end();
        } else if (alt.find()) {
            action = alt.group(1);
            end = alt.end();
        } else {
            return Optional.empty();
        }
        Matcher resource = ON_RESOURCE.matcher(message);
        Optional<String> arn = resource.find(end) ? Optional.of(trimArn(resource.group(1))) : Optional.empty();
        return Optional.of(new Named(normalise(action), arn));
    }

    /**
     * The action an event's source and name stand for: {@code s3.amazonaws.com}/{@code ListObjects} →
     * {@code s3:ListBucket}. Empty when either is missing or not shaped as AWS writes them.
     */
    public Optional<String> fromEvent(String eventSource, String eventName) {
        if (eventSource == null || eventName == null) {
            return Optional.empty();
        }
        int suffix = eventSource.indexOf(".amazonaws.com");
        String endpoint = suffix < 0 ? eventSource : eventSource.substring(0, suffix);
        if (!ENDPOINT.matcher(endpoint).matches() || !EVENT_NAME.matcher(eventName).matches()) {
            return Optional.empty();
        }
        String prefix = sources.getOrDefault(endpoint, endpoint);
        Matcher versioned = VERSION.matcher(eventName);
        String name = versioned.matches() ? versioned.group(1) : eventName;
        String action = prefix + ":" + name;
        return Optional.of(events.getOrDefault(action, action));
    }

    /** {@code S3:DeleteBucket} → {@code s3:DeleteBucket}: prefixes are lower case in policies. */
    private static String normalise(String action) {
        int colon = action.indexOf(':');
        return action.substring(0, colon).toLowerCase(java.util.Locale.ROOT) + action.substring(colon);
    }

    /** A message that ends with the ARN may end it with a full stop or a comma that is not part of it. */
    private static String trimArn(String arn) {
        String s = arn;
        while (!s.isEmpty() && ".,;)".indexOf(s.charAt(s.length() - 1)) >= 0) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** An action, and the resource the message names it on. */
    public record Named(String action, Optional<String> resourceArn) {
    }
}
