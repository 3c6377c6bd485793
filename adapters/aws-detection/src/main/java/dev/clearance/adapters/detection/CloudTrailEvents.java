package dev.clearance.adapters.detection;

import dev.clearance.core.detect.Caller;
import dev.clearance.core.detect.DeniedCall;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an EventBridge "AWS API Call via CloudTrail" event (the envelope EventBridge delivers to the queue, with the
 * CloudTrail record as its {@code detail}) into the call it records: who made it ({@link Callers}), the IAM action and
 * denied resource ({@link ActionNames}), the account, region and error.
 * <p>
 * Field meanings: the EventBridge User Guide ("AWS service events delivered via AWS CloudTrail") for the envelope, the
 * CloudTrail User Guide ("CloudTrail record contents") for {@code detail}.
 */
public final class CloudTrailEvents implements CallReader {
    public static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
    /** Messages are far shorter than this; SQS caps a message at 256 KiB anyway. */
    private static final int MAX_BODY = 256 * 1024;

    private final Callers callers;
    private final ActionNames actions;

    public CloudTrailEvents(IdentityCenterPeople people) {
        this(people, ActionNames.standard());
    }

    public CloudTrailEvents(IdentityCenterPeople people, ActionNames actions) {
        this.callers = new Callers(people);
        this.actions = actions;
    }

    @Override
    public DeniedCall read(String messageBody) throws UnreadableEventException {
        JsonNode event = parse(messageBody);
        // NB: only AWS can put an event whose source starts with "aws." on a bus (PutEvents refuses that prefix), so
        // anything else was written by someone who can send to the queue, not recorded by CloudTrail
        String source = Callers.text(event, "source");
        if (!DETAIL_TYPE.equals(Callers.text(event, "detail-type")) || !source.startsWith("aws.")) {
            throw new UnreadableEventException("not an EventBridge '" + DETAIL_TYPE + "' event from AWS (detail-type: '"
                    + clip(Callers.text(event, "detail-type")) + "', source: '" + clip(source) + "')");
        }
        JsonNode detail = event.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new UnreadableEventException("the event has no detail object (the CloudTrail record)");
        }
        String eventId = Callers.text(detail, "eventID");
        if (eventId.isEmpty()) {
            throw new UnreadableEventException("the CloudTrail record has no detail.eventID");
        }
        if (!EVENT_ID.matcher(eventId).matches()) {
            throw new UnreadableEventException("detail.eventID '" + clip(eventId) + "' is not a CloudTrail event id");
        }
        Instant time = time(detail, event);
        String account = first(Callers.text(detail, "recipientAccountId"), Callers.text(event, "account"));
        if (!ACCOUNT.matcher(account).matches()) {
            throw new UnreadableEventException("event " + eventId + ": detail.recipientAccountId '" + clip(account)
                    + "' is not a 12-digit AWS account id");
        }
        String region = first(Callers.text(detail, "awsRegion"), Callers.text(event, "region"));
        if (!region.isEmpty() && !REGION.matcher(region).matches()) {
            throw new UnreadableEventException("event " + eventId + ": detail.awsRegion '" + clip(region) + "' is not a region");
        }
        JsonNode identity = detail.get("userIdentity");
        if (identity == null || !identity.isObject()) {
            throw new UnreadableEventException("event " + eventId + ": the CloudTrail record has no detail.userIdentity");
        }
        String errorCode = Callers.text(detail, "errorCode");
        Optional<ActionNames.Named> named = actions.fromMessage(Callers.text(detail, "errorMessage"));
        String action = named.map(ActionNames.Named::action)
                .or(() -> actions.fromEvent(Callers.text(detail, "eventSource"), Callers.text(detail, "eventName")))
                .orElseThrow(() -> new UnreadableEventException("event " + eventId + ": no IAM action in the error message,"
                        + " and detail.eventSource '" + clip(Callers.text(detail, "eventSource")) + "' with detail.eventName '"
                        + clip(Callers.text(detail, "eventName")) + "' names none"));
        // last, as it may ask the identity store: an event that is unreadable anyway costs no lookup
        Caller caller = callers.of(identity);
        return new DeniedCall(eventId, time, caller, action, account, region,
                named.flatMap(ActionNames.Named::resourceArn),
                errorCode.isEmpty() ? Optional.empty() : Optional.of(errorCode));
    }

    private static JsonNode parse(String body) throws UnreadableEventException {
        if (body == null || body.isBlank()) {
            throw new UnreadableEventException("the message is empty");
        }
        if (body.length() > MAX_BODY) {
            throw new UnreadableEventException("the message is " + body.length() + " characters, more than an event holds");
        }
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new UnreadableEventException("the message is not JSON: " + clip(e.getOriginalMessage()), e);
        }
        if (event == null || !event.isObject()) {
            throw new UnreadableEventException("the message is JSON but not an object");
        }
        return event;
    }

    /** CloudTrail's eventTime (when the call was made); EventBridge's time when it is missing. */
    private static Instant time(JsonNode detail, JsonNode event) throws UnreadableEventException {
        String value = first(Callers.text(detail, "eventTime"), Callers.text(event, "time"));
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("event " + Callers.text(detail, "eventID") + ": detail.eventTime '"
                    + clip(value) + "' is not an ISO-8601 instant");
        }
    }

    private static String first(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    /** Parts of a message quoted in an error (and so in a log line) are kept short and on one line. */
    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 80 ? line : line.substring(0, 80) + "…";
    }
}
