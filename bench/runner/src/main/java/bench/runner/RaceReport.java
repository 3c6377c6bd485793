package bench.runner;

import bench.runner.RaceBench.Race;
import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static bench.runner.RaceBench.ms;

/**
 * The report of a {@link RaceBench} run: how the races fell (the cancel acknowledged before any grant call arrived,
 * while it slept at the receiver, or after it finished), what the receiver saw, the timings, and for access left held
 * the receiver's timeline and Clearance's record of the first few.
 */
final class RaceReport {
    private RaceReport() {
    }

    static String write(Path repo, RaceBench.Settings set, String command, Child c, SlowReceiver receiver, List<Race> done,
                        Map<String, String> notEnded, List<String> held, long racedMs, long settledMs) throws Exception {
        String[] kinds = {"before any grant call arrived", "while the grant call slept (it arrived before, finished after)",
                "after the grant call finished"};
        int[] count = new int[3];
        int[] grantCalls = new int[3];
        int[] overtook = new int[3];
        int[] preceded = new int[3];
        int[] left = new int[3];
        int lateGrants = 0;
        Histogram toRevoke = new Histogram(3);
        Histogram cancelLatency = new Histogram(3);
        Histogram approvalToGrant = new Histogram(3);
        List<String> refusals = new ArrayList<>();
        for (Race r : done) {
            SlowReceiver.Timeline t = receiver.timelines.get(r.id());
            long arrived = t == null ? 0 : t.grantArrived;
            long finished = t == null ? 0 : t.grantFinished;
            int kind = arrived == 0 || arrived > r.cancelAcked() ? 0 : finished == 0 || finished > r.cancelAcked() ? 1 : 2;
            count[kind]++;
            if (kind == 0 && arrived != 0) {
                lateGrants++;
            }
            grantCalls[kind] += t == null ? 0 : t.grants.get();
            overtook[kind] += t == null ? 0 : t.overtook.get();
            preceded[kind] += t == null ? 0 : t.grantsAfterRevoke.get();
            left[kind] += held.contains(r.id()) ? 1 : 0;
            if (t != null && t.revokeArrived != 0) {
                toRevoke.recordValue(Math.max(0, ms(t.revokeArrived - r.cancelAcked())));
            }
            cancelLatency.recordValue(ms(r.cancelAcked() - r.cancelSent()));
            if (arrived != 0) {
                approvalToGrant.recordValue(Math.max(0, ms(arrived - r.approved())));
            }
            if (r.cancelStatus() / 100 != 2) {
                refusals.add(r.id() + " answered " + r.cancelStatus() + ": " + r.cancelBody());
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Approve-then-cancel races: %,d requests, each approved and then given back by its "
                        + "requester 0–%,d ms later, from %d clients, against a webhook receiver that applies a grant after "
                        + "0–%,d ms and a revoke at once; reconciliation %s. Run %s by `%s`, jar %s, on %d cores, %s %s.%n%n",
                done.size(), set.maxCancelDelayMillis(), set.clients(), RaceBench.MAX_GRANT_MILLIS, set.reconcile() ? "on" : "off", LocalDate.now(),
                command, repo.relativize(set.jar().toAbsolutePath()).toString().startsWith("..") ? set.jar() : repo.relativize(set.jar()),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version")));
        if (!set.appArgs().isEmpty()) {
            s.append("Clearance started with ").append(String.join(" ", set.appArgs())).append(".\n\n");
        }
        s.append("| the cancel was acknowledged | races | grant calls | revokes that arrived while their grant slept "
                + "| grants that arrived after their revoke | access left held |\n|---|---|---|---|---|---|\n");
        for (int k = 0; k < 3; k++) {
            s.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d |%n", kinds[k], count[k], grantCalls[k],
                    overtook[k], preceded[k], left[k]));
        }
        s.append(String.format(Locale.ROOT, "| **all** | **%,d** | **%,d** | **%,d** | **%,d** | **%,d** |%n%n", done.size(),
                sum(grantCalls), sum(overtook), sum(preceded), held.size()));
        s.append(String.format(Locale.ROOT, "- Of the races whose cancel came before any grant call, %,d saw a grant call "
                + "arrive after the cancel was acknowledged (the attempt was claimed before the cancel).%n", lateGrants));
        s.append(String.format(Locale.ROOT, "- Calls at the receiver: %,d grant, %,d revoke, %,d reconcile, %,d other.%n",
                receiver.grantCalls.get(), receiver.revokeCalls.get(), receiver.reconcileCalls.get(), receiver.otherCalls.get()));
        s.append(String.format(Locale.ROOT, "- Approval acknowledged → grant call arrived (%,d races with one): p50 %,d ms, "
                        + "p99 %,d ms, max %,d ms.%n", approvalToGrant.getTotalCount(), approvalToGrant.getValueAtPercentile(50),
                approvalToGrant.getValueAtPercentile(99), approvalToGrant.getMaxValue()));
        s.append(String.format(Locale.ROOT, "- Cancel answered: p50 %d ms, p99 %d ms, max %d ms; %d refused.%n",
                cancelLatency.getValueAtPercentile(50), cancelLatency.getValueAtPercentile(99), cancelLatency.getMaxValue(),
                refusals.size()));
        s.append(String.format(Locale.ROOT, "- Cancel acknowledged → revoke applied at the receiver (%,d races with a revoke): "
                        + "p50 %,d ms, p99 %,d ms, max %,d ms.%n", toRevoke.getTotalCount(), toRevoke.getValueAtPercentile(50),
                toRevoke.getValueAtPercentile(99), toRevoke.getMaxValue()));
        s.append(String.format(Locale.ROOT, "- Wall time: %.1f s until every race was answered, %.1f s until every request was "
                + "ENDED and no grant slept.%n", racedMs / 1000.0, settledMs / 1000.0));
        if (!notEnded.isEmpty()) {
            s.append(String.format(Locale.ROOT, "- NOT ENDED after 10 minutes: %,d requests, e.g. %s.%n", notEnded.size(),
                    notEnded.entrySet().stream().limit(5).map(e -> e.getKey() + " " + e.getValue()).toList()));
        }
        refusals.stream().limit(5).forEach(r -> s.append("- cancel refused: ").append(r).append('\n'));
        if (!held.isEmpty()) {
            s.append(String.format(Locale.ROOT, "%n**FAILED: the receiver still holds access for %,d of the %,d requests.** "
                    + "The first few, with the receiver's timeline (ms from the cancel's acknowledgment) and Clearance's record:%n",
                    held.size(), done.size()));
            HttpClient http = HttpClient.newHttpClient();
            for (String id : held.stream().limit(3).toList()) {
                Race r = done.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
                SlowReceiver.Timeline t = receiver.timelines.get(id);
                s.append(String.format(Locale.ROOT, "%n- %s: cancel sent %+d, grant arrived %+d, grant finished %+d, revoke "
                                + "arrived %s; %s%n  ```%n  %s%n  ```%n", id, ms(r.cancelSent() - r.cancelAcked()),
                        ms(t.grantArrived - r.cancelAcked()), ms(t.grantFinished - r.cancelAcked()),
                        t.revokeArrived == 0 ? "never" : String.format(Locale.ROOT, "%+d", ms(t.revokeArrived - r.cancelAcked())),
                        t, RaceBench.get(c, http, id)));
            }
        }
        return s.toString();
    }

    private static int sum(int[] v) {
        return java.util.Arrays.stream(v).sum();
    }

}
