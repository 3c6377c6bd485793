package dev.clearance.core.service;

import dev.clearance.core.model.Person;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.MessageRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each person is reached where they are known: their preference, else the first platform that knows them. */
class RoutingTest {
    record Platform(String name, Set<String> knows) implements ChatChannel {
        @Override
        public boolean reaches(Person person) throws DeliveryException {
            if (knows.contains("outage")) {
                throw DeliveryException.retryable(name + " is down", null);
            }
            return knows.contains(person.email().value());
        }

        @Override
        public MessageRef post(Person recipient, Notification notification) {
            return new MessageRef(name, recipient.email().value(), "1");
        }

        @Override
        public void update(MessageRef ref, Notification notification) {
        }
    }

    private final ChatChannel slack = new Platform("slack", Set.of("a@example.com", "both@example.com"));
    private final ChatChannel teams = new Platform("teams", Set.of("t@example.com", "both@example.com"));
    private final ChannelRouting routing = new ChannelRouting(List.of(slack, teams));

    private static Person person(String email, String... channels) {
        return new Person(UserEmail.of(email), email, Map.of(), List.of(channels));
    }

    @Test
    void theFirstPlatformThatKnowsThePersonWins() throws Exception {
        assertThat(routing.route(person("a@example.com"))).containsExactly(slack);
        assertThat(routing.route(person("t@example.com"))).containsExactly(teams);
        assertThat(routing.route(person("both@example.com"))).containsExactly(slack);
        assertThat(routing.route(person("nobody@example.com"))).isEmpty();
    }

    @Test
    void aPreferenceChoosesThePlatformOrBoth() throws Exception {
        assertThat(routing.route(person("both@example.com", "teams"))).containsExactly(teams);
        assertThat(routing.route(person("both@example.com", "slack", "teams"))).containsExactly(slack, teams);
        assertThat(routing.route(person("a@example.com", "teams"))).as("preferred but unknown there").isEmpty();
    }

    @Test
    void aPlatformOutageIsRetriedNotMisrouted() {
        ChannelRouting withOutage = new ChannelRouting(List.of(new Platform("slack", Set.of("outage")), teams));
        assertThatThrownBy(() -> withOutage.route(person("t@example.com"))).isInstanceOf(ChatChannel.DeliveryException.class)
                .satisfies(e -> assertThat(((ChatChannel.DeliveryException) e).isRetryable()).isTrue());
    }
}
