package dev.clearance.app.config;

import java.util.List;

/** A policy file that cannot be used; each problem names the file, the line, the key and what to fix. */
public class PolicyFileException extends RuntimeException {
    private final List<String> problems;

    public PolicyFileException(String file, List<String> problems) {
        super("policy file " + file + " is invalid (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + "):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
