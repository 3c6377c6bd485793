package dev.clearance.app.config;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.service.LifecycleContext;
import dev.clearance.core.service.ScopeMismatches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * At each start: lists in the log, and reports to the admins (once per request), the active requests whose scope is
 * not the scope of their account, so that a request filed with a scope of the requester's choice before that was
 * refused is seen.
 */
@Component
public class StartupScopeCheck implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StartupScopeCheck.class);
    private final ScopeMismatches mismatches;

    public StartupScopeCheck(LifecycleContext ctx) {
        this.mismatches = new ScopeMismatches(ctx);
    }

    @Override
    public void run(ApplicationArguments args) {
        check();
    }

    /** The mismatches found now; each is logged (WARN, one line) and reported to the admins. */
    public List<ScopeMismatches.Mismatch> check() {
        List<ScopeMismatches.Mismatch> found = mismatches.report();
        for (ScopeMismatches.Mismatch m : found) {
            AccessRequest r = m.request();
            // NB: stored text is escaped to one line: a request stored before line breaks were refused may hold some.
            LOG.warn("scope mismatch: request {} ({}) for account {} is in scope {}, expected {}: its approvers may not be "
                            + "the account's; the admins were told", r.id(), r.status(), oneLine(r.account()),
                    oneLine(r.scope().value()), m.expected());
        }
        return found;
    }

    private static String oneLine(String text) {
        return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }
}
