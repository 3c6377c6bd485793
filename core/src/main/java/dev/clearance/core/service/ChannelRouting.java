package dev.clearance.core.service;

import dev.clearance.core.model.Person;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.ChatChannel.DeliveryException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which configured chat channel carries a copy: a person's, an approval channel's, a live copy's. */
final class ChannelRouting {
    private final List<ChatChannel> channels;

    ChannelRouting(List<ChatChannel> channels) {
        this.channels = List.copyOf(channels);
    }

    List<String> names() {
        return channels.stream().map(ChatChannel::name).toList();
    }

    /** Routes by the person's preference, else the first channel that knows them. */
    List<ChatChannel> route(Person person) throws DeliveryException {
        List<ChatChannel> reaching = new ArrayList<>();
        boolean preferred = !person.preferredChannels().isEmpty();
        for (ChatChannel c : channels) {
            if ((!preferred || person.preferredChannels().contains(c.name())) && c.reaches(person)) {
                reaching.add(c);
                if (!preferred) {
                    break;
                }
            }
        }
        return reaching;
    }

    /** {@link #route}, failing permanently when no channel reaches the person. */
    List<ChatChannel> routeOrFail(Person person) throws DeliveryException {
        List<ChatChannel> route = route(person);
        if (route.isEmpty()) {
            throw DeliveryException.permanent("no chat channel reaches " + person.email()
                    + " (configured: " + String.join(", ", names()) + ")");
        }
        return route;
    }

    /** The channel of an approval channel's conversation on {@code platform}. */
    ChatChannel forConversation(String platform, String conversation) throws DeliveryException {
        return named(platform).orElseThrow(() -> DeliveryException.permanent("approval channel " + conversation
                + " is on " + platform + ", which is not configured"));
    }

    /** The configured channel of that name (a live copy's platform may no longer be configured). */
    Optional<ChatChannel> named(String name) {
        return channels.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
