package dev.clearance.app.detection;

import dev.clearance.adapters.access.aws.PermissionSetGrants;
import dev.clearance.adapters.detection.CallReader;
import dev.clearance.adapters.detection.CloudTrailEvents;
import dev.clearance.adapters.detection.IdentityCenterPeople;
import dev.clearance.app.config.PolicyFileException;
import dev.clearance.app.config.PolicyFileLoader;
import dev.clearance.core.detect.DeniedCall;
import dev.clearance.core.view.PolicyPreview;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.ConfiguredDirectory;
import dev.clearance.core.port.DetectedEvents;
import dev.clearance.core.port.LifecycleMetrics;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.port.RequestStore;
import dev.clearance.core.port.TimerScheduler;
import dev.clearance.core.port.Transactions;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.AttemptDetector;
import dev.clearance.core.service.LifecycleContext;
import dev.clearance.core.service.RequestQueries;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code java -jar clearance.jar detect EVENT.json}: prints what the detector would do with one EventBridge CloudTrail
 * event (the person, action and account it reads, whether the attempt is protected, the policy and its approvers, or
 * why it is ignored) under the policy file {@code CLEARANCE_CONFIG}. Stores nothing: every port that could is absent.
 */
public final class DetectCommand {
    private DetectCommand() {
    }

    /** Exit 0 when the event was explained, 1 when it or the policy file could not be read, 2 on a usage error. */
    public static int run(String[] args, String policyFile, Function<ClearanceConfig, CallReader> readers,
                          PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println("usage: java -jar clearance.jar detect EVENT.json   (the policy file is CLEARANCE_CONFIG, "
                    + "now " + policyFile + ")");
            return 2;
        }
        ClearanceConfig config;
        try {
            config = PolicyFileLoader.load(Path.of(policyFile), new PermissionSetGrants());
        } catch (PolicyFileException e) {
            err.println("FAIL " + e.getMessage());
            return 1;
        }
        String body;
        try {
            body = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("FAIL " + args[1] + ": cannot be read: " + e.getMessage());
            return 1;
        }
        DeniedCall call;
        try {
            call = readers.apply(config).read(body);
        } catch (CallReader.UnreadableEventException e) {
            err.println("FAIL " + args[1] + ": not a CloudTrail API call event: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("FAIL " + args[1] + ": the event could not be read now: " + e.getMessage());
            return 1;
        }
        LifecycleContext ctx = new LifecycleContext(absent(RequestStore.class), absent(Outbox.class),
                absent(TimerScheduler.class), absent(Transactions.class), () -> config, new ConfiguredDirectory(config),
                Clock.systemUTC(), LifecycleMetrics.NONE);
        AttemptDetector detector = new AttemptDetector(ctx, new AccessRequestService(ctx), new RequestQueries(ctx),
                absent(DetectedEvents.class));
        print(detector.explain(call), out);
        return 0;
    }

    /** The reader the running application would use: the identity store from the AWS SDK's chains. */
    public static CallReader cloudTrailReader(ClearanceConfig config) {
        return new CloudTrailEvents(IdentityCenterPeople.fromEnvironment(
                Optional.ofNullable(System.getenv("CLEARANCE_AWS_IDENTITY_STORE_ID")).filter(s -> !s.isBlank()),
                Optional.ofNullable(System.getenv("CLEARANCE_AWS_USER_ATTRIBUTE")).filter(s -> !s.isBlank()).orElse("userName"),
                Clock.systemUTC()));
    }

    private static void print(AttemptDetector.Explanation e, PrintStream out) {
        DeniedCall c = e.call();
        out.println("event    " + c.eventId() + " at " + c.eventTime() + (c.region().isBlank() ? "" : " in " + c.region()));
        out.println("caller   " + c.caller().kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " "
                + c.caller().description() + c.caller().person().map(p -> " = " + p).orElse(""));
        out.println("action   " + c.action() + c.resourceArn().map(a -> " on " + a).orElse(""));
        out.println("account  " + c.account());
        out.println("error    " + c.errorCode().orElse("(none: the call succeeded)"));
        if (e.plan() instanceof AttemptDetector.Plan.Ignore i) {
            out.println("verdict  ignored (" + i.reason() + "): " + i.why());
        } else if (e.plan() instanceof AttemptDetector.Plan.Notice n) {
            out.println("verdict  " + n.person() + " gets the disabled-service notice for " + c.service() + " in "
                    + c.account() + " (at most once a day); no request");
        } else if (e.plan() instanceof AttemptDetector.Plan.Request r) {
            if (e.refusal().isPresent()) {
                out.println("verdict  protected, but intake would refuse it: " + e.refusal().get());
            } else {
                out.println("verdict  protected: opens a request for " + r.person() + " (or counts the attempt on the"
                        + " one already open)");
            }
            e.preview().ifPresent(p -> printPolicy(p, out));
        }
    }

    private static void printPolicy(PolicyPreview p, PrintStream out) {
        out.println("policy   " + p.policy() + " (at most " + p.maxDuration().describe() + "; "
                + (p.justificationRequired() ? "the requester is asked why first" : "straight to the approvers") + ")");
        out.println("scope    " + p.scope());
        for (int i = 0; i < p.steps().size(); i++) {
            PolicyPreview.StepPreview s = p.steps().get(i);
            out.println("step " + (i + 1) + "   " + s.name() + ": " + s.required() + " of "
                    + (s.approvers().isEmpty() ? "(nobody: nobody could approve it)" : String.join(", ", s.approvers())));
        }
    }

    /** A port this command must never use: detect stores nothing. */
    @SuppressWarnings("unchecked")
    private static <T> T absent(Class<T> port) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> "detect: no " + port.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> proxy == args[0];
                };
            }
            throw new UnsupportedOperationException("detect stores nothing (" + port.getSimpleName() + "." + method.getName() + ")");
        });
    }
}
