package dev.clearance.app.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How large a request body may be, checked before anything reads it ({@code clearance.http.*}).
 *
 * @param maxBodySize     the REST API and the web page's forms ({@code CLEARANCE_HTTP_MAX_BODY_SIZE}, 64KB): the
 *                        largest valid input is far smaller
 * @param maxChatBodySize Slack ({@code /slack/**}) and Teams ({@code /api/messages}) ({@code CLEARANCE_HTTP_MAX_CHAT_BODY_SIZE},
 *                        1MB): their payloads carry whole messages and cards
 */
@ConfigurationProperties("clearance.http")
public record HttpLimits(DataSize maxBodySize, DataSize maxChatBodySize) {
    public HttpLimits {
        maxBodySize = maxBodySize == null ? DataSize.ofKilobytes(64) : maxBodySize;
        maxChatBodySize = maxChatBodySize == null ? DataSize.ofMegabytes(1) : maxChatBodySize;
        if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("clearance.http.max-body-size (CLEARANCE_HTTP_MAX_BODY_SIZE) must be between 1B and 2GB, was " + maxBodySize);
        }
        if (maxChatBodySize.toBytes() < 1 || maxChatBodySize.toBytes() > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("clearance.http.max-chat-body-size (CLEARANCE_HTTP_MAX_CHAT_BODY_SIZE) must be between 1B and 2GB, was " + maxChatBodySize);
        }
    }
}
