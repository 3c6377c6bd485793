package dev.clearance.app.store;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.port.MessageRef;
import dev.clearance.core.port.SentMessages;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.Arrays;
import java.util.List;

@Repository
public class JdbcSentMessages implements SentMessages {
    private static final List<String> LIVE_KINDS = Arrays.stream(NotificationKind.values())
            .filter(NotificationKind::isLiveCopy).map(Enum::name).toList();
    private final JdbcClient jdbc;

    JdbcSentMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(SentMessage m) {
        jdbc.sql("""
                        INSERT INTO sent_message (request_id, recipient, kind, channel, conversation_id, message_id, dedupe_key,
                                                  rendered_digest)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(m.requestId() == null ? null : m.requestId().value(), m.recipient() == null ? null : m.recipient().value(),
                        m.kind().name(),
                        m.ref().channel(), m.ref().conversationId(), m.ref().messageId(), m.dedupeKey(), m.renderedDigest())
                .update();
    }

    @Override
    public void rendered(MessageRef ref, String digest) {
        jdbc.sql("UPDATE sent_message SET rendered_digest = ? WHERE channel = ? AND conversation_id = ? AND message_id = ?")
                .params(digest, ref.channel(), ref.conversationId(), ref.messageId()).update();
    }

    @Override
    public List<SentMessage> liveCopies(RequestId id) {
        return jdbc.sql("SELECT * FROM sent_message WHERE request_id = ? AND kind IN ("
                        + String.join(",", LIVE_KINDS.stream().map(k -> "'" + k + "'").toList()) + ") ORDER BY id")
                .param(id.value())
                .query((rs, n) -> new SentMessage(id, rs.getString("recipient") == null ? null : UserEmail.of(rs.getString("recipient")),
                        NotificationKind.valueOf(rs.getString("kind")),
                        new MessageRef(rs.getString("channel"), rs.getString("conversation_id"), rs.getString("message_id")),
                        rs.getString("dedupe_key"), rs.getString("rendered_digest")))
                .list();
    }

    @Override
    public boolean alreadyPosted(String dedupeKey, String channel) {
        return jdbc.sql("SELECT COUNT(*) FROM sent_message WHERE dedupe_key = ? AND channel = ?")
                .params(dedupeKey, channel).query(Integer.class).single() > 0;
    }
}
