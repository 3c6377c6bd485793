package dev.clearance.core.command;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.RequestPermissions;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;

import java.util.List;
import java.util.Optional;

/**
 * The chat commands ({@code /access …} on Slack, a message to the bot on Teams), executed once for every platform:
 * a platform parses its payload into a {@link ChatCommand}, proves the person, and draws the {@link CommandReply}.
 */
public final class ChatCommands {
    public static final int PAGE_SIZE = 10;

    private final AccessRequestService service;
    private final RequestQueries queries;
    private final RequestViews views;
    private final String invocation;
    private final List<UsageLine> usage;

    /**
     * @param invocation    what comes before a command where the platform shows its usage ({@code "/access "}, or empty)
     * @param platformLines the platform's own commands, which it answers itself, for the help
     */
    public ChatCommands(AccessRequestService service, RequestQueries queries, RequestViews views, String invocation,
                        List<UsageLine> platformLines) {
        this.service = service;
        this.queries = queries;
        this.views = views;
        this.invocation = invocation;
        this.usage = UsageLine.with(platformLines);
    }

    /** The answer to a command that needs no person ({@code help}); empty when the person must be known first. */
    public Optional<CommandReply> withoutPerson(ChatCommand cmd) {
        return cmd.name().equals("help") ? Optional.of(new CommandReply.Usage(Optional.empty(), usage)) : Optional.empty();
    }

    /**
     * Runs a command for a proven person; every refusal comes back as {@link CommandReply.Refused}.
     *
     * @param origin the platform identity the person proved, for the audit trail
     */
    public CommandReply run(UserEmail me, ChatCommand cmd, Origin origin) {
        try {
            return switch (cmd.name()) {
                case "help" -> new CommandReply.Usage(Optional.empty(), usage);
                case "request" -> new CommandReply.RequestForm();
                case "pending" -> pending(me, cmd.page());
                case "show" -> new CommandReply.Shown(views.of(queries.getFor(me, cmd.arg(0, usage("show")))));
                case "cancel" -> {
                    AccessRequest r = service.cancel(RequestId.parse(cmd.arg(0, usage("cancel"))), me, origin);
                    yield r.status() == Status.CANCELLED
                            ? new CommandReply.Done("Request ", r.id().value(), " withdrawn.")
                            : new CommandReply.Done("Giving back your access for ", r.id().value(),
                            "; you will get a message when it has ended.");
                }
                case "revoke" -> {
                    AccessRequest r = service.revoke(RequestId.parse(cmd.arg(0, usage("revoke"))), me, cmd.rest(1), origin);
                    yield new CommandReply.Done("Revoking access for ", r.id().value(), "; the requester is told when it has ended.");
                }
                case "whoapproves" -> {
                    String resource = cmd.arg(0, usage("whoapproves"));
                    String account = cmd.arg(1, usage("whoapproves"));
                    yield new CommandReply.DryRun(resource, account, queries.resolve(me, resource, account, Optional.empty()));
                }
                default -> new CommandReply.Usage(Optional.of(cmd.name()), usage);
            };
        } catch (ClearanceException e) {
            return new CommandReply.Refused(e.getMessage());
        }
    }

    private CommandReply pending(UserEmail me, int page) {
        RequestQueries.PendingPage p = queries.pendingPage(me, page, PAGE_SIZE);
        // NB: Approve/Deny only on what the rule lets this person decide now.
        List<String> actionable = p.items().stream()
                .filter(r -> queries.permissionsFor(me, r).allows(RequestPermissions.Action.APPROVE))
                .map(r -> r.id().value()).toList();
        return new CommandReply.Pending(p.items().stream().map(views::of).toList(), actionable, page, p.more());
    }

    /** How a command is typed, for the refusal of one missing its arguments: {@code /access show <id>}. */
    private String usage(String name) {
        return invocation + usage.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().syntax();
    }
}
