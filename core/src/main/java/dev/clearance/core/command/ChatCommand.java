package dev.clearance.core.command;

import dev.clearance.core.model.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code /access} grammar shared by every chat platform: {@code <subcommand> [arguments…]}, e.g.
 * {@code revoke REQ-… incident closed}. Missing arguments are refused with the usage.
 */
public record ChatCommand(String name, List<String> args) {
    public ChatCommand {
        args = List.copyOf(args);
    }

    /** Parses the text after the command (or after the bot's mention); empty text means {@code help}. */
    public static ChatCommand parse(String text) {
        List<String> words = new ArrayList<>(Arrays.asList((text == null ? "" : text).trim().split("\\s+")));
        words.removeIf(String::isEmpty);
        if (words.isEmpty()) {
            return new ChatCommand("help", List.of());
        }
        return new ChatCommand(words.get(0).toLowerCase(Locale.ROOT), words.subList(1, words.size()));
    }

    /** Argument {@code index} (0 = the first after the subcommand), or a refusal showing {@code usage}. */
    public String arg(int index, String usage) {
        if (args.size() <= index) {
            throw new InvalidInputException("text", "usage: " + usage);
        }
        return args.get(index);
    }

    /** The arguments from {@code index} on, joined by spaces (a free-text reason). */
    public String rest(int index) {
        return String.join(" ", args.subList(Math.min(index, args.size()), args.size()));
    }

    /** The largest page number a chat listing accepts: far past any real listing, far from an int overflow. */
    public static final int MAX_PAGE = 10_000;

    /** The optional page number of {@code pending [page]}, 1 to {@link #MAX_PAGE}; 1 when absent. */
    public int page() {
        if (args.isEmpty()) {
            return 1;
        }
        int page;
        try {
            page = Integer.parseInt(args.get(0));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("page", "usage: pending [page number]");
        }
        if (page < 1 || page > MAX_PAGE) {
            throw new InvalidInputException("page", "the page number must be between 1 and " + MAX_PAGE
                    + "; usage: pending [page number]");
        }
        return page;
    }
}
