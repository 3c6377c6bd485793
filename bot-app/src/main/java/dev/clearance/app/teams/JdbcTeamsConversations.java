package dev.clearance.app.teams;

import dev.clearance.adapters.teams.TeamsConversations;
import dev.clearance.core.model.UserEmail;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/** Teams conversation references in the application's database. */
class JdbcTeamsConversations implements TeamsConversations {
    private static final RowMapper<Reference> ROW = (rs, n) -> new Reference(rs.getString("aad_object_id"),
            rs.getString("tenant_id"), rs.getString("user_id"), rs.getString("user_name"), rs.getString("conversation_id"),
            rs.getString("service_url"), rs.getString("bot_id"), rs.getString("email"), instant(rs.getObject("email_checked_at",
            OffsetDateTime.class)), rs.getBoolean("blocked"));
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    JdbcTeamsConversations(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void save(Reference r) {
        String aad = r.aadObjectId().toLowerCase(Locale.ROOT);
        String email = r.email() == null ? null : r.email().toLowerCase(Locale.ROOT);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            tx.executeWithoutResult(status -> {
                if (update(r, aad, email, now) == 0) {
                    jdbc.sql("""
                                    INSERT INTO teams_conversation (aad_object_id, tenant_id, user_id, user_name, conversation_id,
                                                                    service_url, bot_id, email, email_checked_at, blocked, updated_at)
                                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                            .params(aad, r.tenantId(), r.userId(), r.userName(), r.conversationId(), r.serviceUrl(), r.botId(),
                                    email, offset(r.emailCheckedAt()), r.blocked(), now).update();
                }
            });
        } catch (DuplicateKeyException raced) {
            // Teams sends installationUpdate and conversationUpdate together: the other one inserted the row first.
            // Its transaction has committed (the insert waited for it), so this one updates it instead.
            tx.executeWithoutResult(status -> update(r, aad, email, now));
        }
    }

    private int update(Reference r, String aad, String email, OffsetDateTime now) {
        return jdbc.sql("""
                        UPDATE teams_conversation SET user_id = ?, user_name = ?, conversation_id = ?, service_url = ?,
                               bot_id = ?, email = ?, email_checked_at = ?, blocked = ?, updated_at = ?
                        WHERE aad_object_id = ? AND tenant_id = ?""")
                .params(r.userId(), r.userName(), r.conversationId(), r.serviceUrl(), r.botId(), email,
                        offset(r.emailCheckedAt()), r.blocked(), now, aad, r.tenantId()).update();
    }

    private static OffsetDateTime offset(java.time.Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static java.time.Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    @Override
    public Optional<Reference> byAadObjectId(String aadObjectId) {
        return jdbc.sql("SELECT * FROM teams_conversation WHERE aad_object_id = ? ORDER BY updated_at DESC")
                .param(aadObjectId.toLowerCase(Locale.ROOT)).query(ROW).list().stream().findFirst();
    }

    @Override
    public Optional<Reference> byEmail(UserEmail email) {
        return jdbc.sql("SELECT * FROM teams_conversation WHERE email = ? ORDER BY updated_at DESC").param(email.value())
                .query(ROW).list().stream().findFirst();
    }

    @Override
    public Optional<Reference> byConversationId(String conversationId) {
        return jdbc.sql("SELECT * FROM teams_conversation WHERE conversation_id = ? ORDER BY updated_at DESC").param(conversationId)
                .query(ROW).list().stream().findFirst();
    }

    @Override
    public void saveChannel(Channel c) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            tx.executeWithoutResult(status -> {
                if (updateChannel(c, now) == 0) {
                    jdbc.sql("""
                                    INSERT INTO teams_channel (channel_id, team_id, team_name, tenant_id, service_url, bot_id, updated_at)
                                    VALUES (?, ?, ?, ?, ?, ?, ?)""")
                            .params(c.channelId(), c.teamId(), c.teamName(), c.tenantId(), c.serviceUrl(), c.botId(), now)
                            .update();
                }
            });
        } catch (DuplicateKeyException raced) {
            // installationUpdate and conversationUpdate for the same team arrive together (see save)
            tx.executeWithoutResult(status -> updateChannel(c, now));
        }
    }

    private int updateChannel(Channel c, OffsetDateTime now) {
        return jdbc.sql("""
                        UPDATE teams_channel SET team_id = COALESCE(?, team_id), team_name = COALESCE(?, team_name),
                               tenant_id = COALESCE(?, tenant_id), service_url = ?, bot_id = COALESCE(?, bot_id), updated_at = ?
                        WHERE channel_id = ?""")
                .params(c.teamId(), c.teamName(), c.tenantId(), c.serviceUrl(), c.botId(), now, c.channelId()).update();
    }

    @Override
    public Optional<Channel> channel(String channelId) {
        return jdbc.sql("SELECT * FROM teams_channel WHERE channel_id = ?").param(channelId)
                .query((rs, n) -> new Channel(rs.getString("channel_id"), rs.getString("team_id"), rs.getString("team_name"),
                        rs.getString("tenant_id"), rs.getString("service_url"), rs.getString("bot_id")))
                .optional();
    }
}
