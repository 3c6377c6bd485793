package dev.clearance.core.command;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of the chat commands' help: {@code name args — what}. The shared lines are {@link #COMMANDS}, written
 * once for every platform; a platform adds its own (e.g. Teams' {@code channelid}) before {@code help}.
 */
public record UsageLine(String name, String args, String what) {
    public static final String TITLE = "just-in-time access";

    public static final List<UsageLine> COMMANDS = List.of(
            new UsageLine("request", "", "ask for access (opens a form)"),
            new UsageLine("pending", "[page]", "requests waiting (admins: all; approvers: yours to decide; others: your own)"),
            new UsageLine("show", "<id>", "details and audit trail"),
            new UsageLine("cancel", "<id>", "withdraw your request (or give approved access back)"),
            new UsageLine("revoke", "<id> <reason>", "end access early (admins)"),
            new UsageLine("whoapproves", "<resource> <account>", "which policy applies and who approves"),
            new UsageLine("help", "", "this text"));

    /** The command as typed, with its arguments: {@code revoke <id> <reason>}. */
    public String syntax() {
        return args.isEmpty() ? name : name + " " + args;
    }

    /** {@link #COMMANDS} with a platform's own lines before {@code help}. */
    public static List<UsageLine> with(List<UsageLine> platformLines) {
        List<UsageLine> all = new ArrayList<>(COMMANDS.subList(0, COMMANDS.size() - 1));
        all.addAll(platformLines);
        all.add(COMMANDS.get(COMMANDS.size() - 1));
        return List.copyOf(all);
    }
}
