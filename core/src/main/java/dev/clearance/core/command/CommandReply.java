package dev.clearance.core.command;

import dev.clearance.core.view.PolicyPreview;
import dev.clearance.core.view.RequestView;

import java.util.List;
import java.util.Optional;

/**
 * What a chat command answers, for every platform alike; each platform's renderer (cards/slack, cards/teams) only
 * draws it.
 */
public sealed interface CommandReply {

    /** The commands, after {@code help} or after a command nobody knows ({@code unknown}, as typed). */
    record Usage(Optional<String> unknown, List<UsageLine> lines) implements CommandReply {
        public Usage {
            lines = List.copyOf(lines);
        }
    }

    /** {@code request}: the platform opens or sends its request form. */
    record RequestForm() implements CommandReply {
    }

    /**
     * A page of {@code pending}.
     *
     * @param actionable ids the viewer may decide now (by {@code RequestPermissions}): those get Approve and Deny
     */
    record Pending(List<RequestView> items, List<String> actionable, int page, boolean more) implements CommandReply {
        public Pending {
            items = List.copyOf(items);
            actionable = List.copyOf(actionable);
        }
    }

    /** {@code show}: a request the viewer may see, with its audit trail. */
    record Shown(RequestView request) implements CommandReply {
    }

    /** {@code whoapproves}: the policy dry run. */
    record DryRun(String resource, String account, PolicyPreview preview) implements CommandReply {
    }

    /** A sentence about one request; {@code id} is shown as code where the platform has code. */
    record Done(String before, String id, String after) implements CommandReply {
        public String plain() {
            return before + id + after;
        }
    }

    /** A refusal (bad input, not allowed, not found); {@code reason} may quote what the person typed. */
    record Refused(String reason) implements CommandReply {
    }
}
