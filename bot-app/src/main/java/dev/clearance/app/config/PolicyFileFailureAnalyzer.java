package dev.clearance.app.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad policy file into a short startup message listing every problem, instead of a stack trace. */
public class PolicyFileFailureAnalyzer extends AbstractFailureAnalyzer<PolicyFileException> {
    @Override
    protected FailureAnalysis analyze(Throwable root, PolicyFileException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the policy file (check it with: java -jar clearance.jar validate-config FILE), "
                        + "or point CLEARANCE_CONFIG at another one.", cause);
    }
}
