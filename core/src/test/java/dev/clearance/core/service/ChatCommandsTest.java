package dev.clearance.core.service;

import dev.clearance.core.command.ChatCommand;
import dev.clearance.core.command.ChatCommands;
import dev.clearance.core.command.CommandReply;
import dev.clearance.core.command.UsageLine;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.TestConfigs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.clearance.core.policy.TestConfigs.e;
import static org.assertj.core.api.Assertions.assertThat;

/** The chat commands, as every platform runs them ({@code core/command}), over the in-memory ports. */
class ChatCommandsTest {
    private static final UsageLine LOCAL = new UsageLine("local", "", "a platform's own command");

    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final ChatCommands commands = new ChatCommands(ports.service, new RequestQueries(ports.ctx),
            new RequestViews(() -> ports.ctx.config(), ports.ctx.directory(), ports.clock, ports.store), "/access ", List.of(LOCAL));

    private CommandReply run(String who, String text) {
        return commands.run(e(who), ChatCommand.parse(text), Origin.api("test"));
    }

    private String pending(String requester) {
        AccessRequest r = ports.service.intake(new Commands.Intake(UserEmail.of(requester + "@example.com"), "ec2:Describe", "555555555555",
                Optional.empty(), Optional.of("1h"), Optional.of("debugging"), Optional.of("test"), Optional.empty(),
                Origin.api("test"))).request();
        return r.id().value();
    }

    @Test
    void helpNeedsNobodyAndListsThePlatformsOwnCommandsBeforeHelp() {
        CommandReply.Usage help = (CommandReply.Usage) commands.withoutPerson(ChatCommand.parse("")).orElseThrow();
        assertThat(help.unknown()).isEmpty();
        assertThat(help.lines()).extracting(UsageLine::name)
                .containsExactly("request", "pending", "show", "cancel", "revoke", "whoapproves", "local", "help");
        assertThat(commands.withoutPerson(ChatCommand.parse("pending"))).as("everything else needs the person").isEmpty();
        assertThat(run("bob", "dance")).isEqualTo(new CommandReply.Usage(Optional.of("dance"), help.lines()));
    }

    @Test
    void aMissingArgumentIsRefusedWithTheCommandAsThePlatformTypesIt() {
        assertThat(run("bob", "show")).isEqualTo(new CommandReply.Refused("usage: /access show <id>"));
        assertThat(run("bob", "revoke")).isEqualTo(new CommandReply.Refused("usage: /access revoke <id> <reason>"));
        assertThat(run("bob", "whoapproves s3:DeleteBucket"))
                .isEqualTo(new CommandReply.Refused("usage: /access whoapproves <resource> <account>"));
        assertThat(run("bob", "pending 0")).isInstanceOf(CommandReply.Refused.class);
    }

    @Test
    void pendingMarksWhatTheViewerMayDecideNow() {
        String id = pending("bob");
        CommandReply.Pending olga = (CommandReply.Pending) run("olga", "pending");
        assertThat(olga.items()).extracting(v -> v.id()).containsExactly(id);
        assertThat(olga.actionable()).containsExactly(id);
        CommandReply.Pending bob = (CommandReply.Pending) run("bob", "pending");
        assertThat(bob.items()).extracting(v -> v.id()).containsExactly(id);
        assertThat(bob.actionable()).as("the requester may not approve their own").isEmpty();
        assertThat(((CommandReply.Pending) run("nobody", "pending")).items()).isEmpty();
    }

    @Test
    void cancelShowAndRequestAnswerTyped() {
        String id = pending("bob");
        assertThat(run("bob", "show " + id)).isInstanceOf(CommandReply.Shown.class);
        assertThat(run("nobody", "show " + id)).isInstanceOf(CommandReply.Refused.class);
        assertThat(run("bob", "request")).isEqualTo(new CommandReply.RequestForm());
        assertThat(run("bob", "cancel " + id)).isEqualTo(new CommandReply.Done("Request ", id, " withdrawn."));
        assertThat(ports.store.find(new dev.clearance.core.model.RequestId(id)).orElseThrow().status()).isEqualTo(Status.CANCELLED);
    }
}
