package dev.clearance.core.service;

import java.time.Duration;

/** Lengths of time in audit text: {@code 45s}, {@code 30m}, {@code 1h30m}, {@code 24h}, {@code 3d}. */
final class Spans {
    private Spans() {
    }

    static String of(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        if (seconds == 0) {
            return "0s";
        }
        if (seconds % 86_400 == 0 && seconds > 86_400) {
            return seconds / 86_400 + "d";
        }
        StringBuilder out = new StringBuilder();
        long hours = seconds / 3_600;
        long minutes = seconds % 3_600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        if (rest > 0) {
            out.append(rest).append('s');
        }
        return out.toString();
    }
}
