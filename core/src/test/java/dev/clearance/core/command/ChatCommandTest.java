package dev.clearance.core.command;

import dev.clearance.core.model.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatCommandTest {
    @Test
    void parsesSubcommandArgumentsAndFreeText() {
        ChatCommand c = ChatCommand.parse("  Revoke REQ-0123456789  incident   closed ");
        assertThat(c.name()).isEqualTo("revoke");
        assertThat(c.arg(0, "revoke <id> <reason>")).isEqualTo("REQ-0123456789");
        assertThat(c.rest(1)).isEqualTo("incident closed");
        assertThat(ChatCommand.parse("").name()).isEqualTo("help");
        assertThat(ChatCommand.parse(null).name()).isEqualTo("help");
    }

    @Test
    void missingArgumentsAndBadPagesAreRefusedWithTheUsage() {
        assertThatThrownBy(() -> ChatCommand.parse("show").arg(0, "show <id>")).isInstanceOf(InvalidInputException.class)
                .hasMessage("usage: show <id>");
        assertThat(ChatCommand.parse("pending").page()).isEqualTo(1);
        assertThat(ChatCommand.parse("pending 3").page()).isEqualTo(3);
        assertThatThrownBy(() -> ChatCommand.parse("pending two").page()).hasMessageContaining("pending [page number]");
        // NB: a huge or negative page is refused by name, never an overflow in the listing's offset
        assertThatThrownBy(() -> ChatCommand.parse("pending 2147483647").page()).hasMessageContaining("between 1 and 10000");
        assertThatThrownBy(() -> ChatCommand.parse("pending 99999999999").page()).hasMessageContaining("pending [page number]");
        assertThatThrownBy(() -> ChatCommand.parse("pending 0").page()).hasMessageContaining("between 1 and 10000");
        assertThatThrownBy(() -> ChatCommand.parse("pending -4").page()).hasMessageContaining("between 1 and 10000");
    }
}
