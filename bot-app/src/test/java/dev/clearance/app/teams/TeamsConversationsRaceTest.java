package dev.clearance.app.teams;

import dev.clearance.adapters.teams.TeamsConversations;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Teams sends installationUpdate and conversationUpdate together, and both remember the same conversation: the
 * second save must update the first one's row, never fail on the primary key (which the bot answered with a 500).
 */
class TeamsConversationsRaceTest extends TeamsTestBase {
    @Autowired
    TeamsConversations conversations;

    @Test
    void twoSavesOfOneNewConversationAtOnceBothSucceed() throws Exception {
        for (int round = 0; round < 25; round++) {
            String aad = UUID.randomUUID().toString();
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<?>[] saves = new CompletableFuture<?>[2];
            for (int i = 0; i < 2; i++) {
                String conversation = "a:conv-" + i;
                saves[i] = CompletableFuture.runAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    conversations.save(new TeamsConversations.Reference(aad, "tenant-1", "29:user", "User",
                            conversation, "https://smba.example/", "28:bot", "user@example.com", null, false));
                });
            }
            CompletableFuture.allOf(saves).get();
            assertThat(conversations.byAadObjectId(aad)).isPresent();
        }
    }
}
