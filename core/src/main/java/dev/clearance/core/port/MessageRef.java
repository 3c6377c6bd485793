package dev.clearance.core.port;

/** A message as the chat platform knows it: which channel (slack, teams, log), which conversation, which message. */
public record MessageRef(String channel, String conversationId, String messageId) {
}
