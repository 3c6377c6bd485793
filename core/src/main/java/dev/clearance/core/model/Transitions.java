package dev.clearance.core.model;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The one table of legal status changes. Anything not listed here is refused. */
public final class Transitions {
    private static final Map<Status, Set<Status>> LEGAL = new EnumMap<>(Status.class);

    static {
        LEGAL.put(Status.REQUESTED, EnumSet.of(Status.PENDING, Status.ABANDONED, Status.ABANDONED_EXPIRED, Status.CANCELLED));
        LEGAL.put(Status.PENDING, EnumSet.of(Status.APPROVED, Status.DENIED, Status.EXPIRED, Status.CANCELLED));
        LEGAL.put(Status.APPROVED, EnumSet.of(Status.ENDED));
        for (Status terminal : EnumSet.of(Status.DENIED, Status.EXPIRED, Status.ABANDONED, Status.ABANDONED_EXPIRED,
                Status.CANCELLED, Status.ENDED)) {
            LEGAL.put(terminal, EnumSet.noneOf(Status.class));
        }
    }

    private Transitions() {
    }

    public static boolean isLegal(Status from, Status to) {
        return LEGAL.get(from).contains(to);
    }

    public static Set<Status> from(Status from) {
        return Set.copyOf(LEGAL.get(from));
    }

    /** Refuses an illegal change with an error naming both states. */
    public static void check(Status from, Status to) {
        if (!isLegal(from, to)) {
            throw new IllegalTransitionException(from, to);
        }
    }
}
