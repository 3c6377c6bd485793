package dev.clearance.adapters.detection;

import dev.clearance.core.model.UserEmail;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.identitystore.IdentitystoreClient;
import software.amazon.awssdk.services.identitystore.model.AlternateIdentifier;
import software.amazon.awssdk.services.identitystore.model.DescribeUserResponse;
import software.amazon.awssdk.services.identitystore.model.Email;
import software.amazon.awssdk.services.identitystore.model.ResourceNotFoundException;
import software.amazon.awssdk.services.identitystore.model.UniqueAttribute;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The person behind an IAM Identity Center session, as the identity store names them: the email is the user attribute
 * the Identity Center access provider matches requesters on ({@code userName}, or {@code emails.value}), so a detected
 * attempt and the grant it may lead to name the same user.
 * <p>
 * Answers are cached (a bounded number, for a while), so a script retrying a denied call makes one lookup, not one per
 * event. A user the store does not have is cached too; a failure of the store is not, and is thrown, so the event is
 * retried.
 */
public final class IdentityCenterPeople {
    public static final Set<String> USER_ATTRIBUTES = Set.of("userName", "emails.value");
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final IdentitystoreClient store;
    private final Optional<String> configuredStoreId;
    private final String userAttribute;
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final Map<String, Cached> cache;

    private record Cached(Optional<UserEmail> person, Instant expires) {
    }

    /**
     * @param configuredStoreId {@code CLEARANCE_AWS_IDENTITY_STORE_ID}: used when an event names no identity store
     * @param userAttribute     {@code CLEARANCE_AWS_USER_ATTRIBUTE}: {@code userName} or {@code emails.value}
     */
    public IdentityCenterPeople(IdentitystoreClient store, Optional<String> configuredStoreId, String userAttribute,
                                Clock clock, Duration ttl, int maxEntries) {
        if (!USER_ATTRIBUTES.contains(userAttribute)) {
            throw new IllegalArgumentException("the Identity Center user attribute (CLEARANCE_AWS_USER_ATTRIBUTE) is '"
                    + userAttribute + "': use userName or emails.value");
        }
        if (ttl.isNegative() || ttl.isZero() || maxEntries < 1) {
            throw new IllegalArgumentException("the identity store cache needs a positive time to live and size");
        }
        this.store = store;
        this.configuredStoreId = configuredStoreId.map(String::strip).filter(s -> !s.isEmpty());
        this.userAttribute = userAttribute;
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > IdentityCenterPeople.this.maxEntries;
            }
        };
    }

    /** A client from the AWS SDK's default chains (region, credentials, {@code AWS_ENDPOINT_URL_IDENTITYSTORE}). */
    public static IdentityCenterPeople fromEnvironment(Optional<String> configuredStoreId, String userAttribute, Clock clock) {
        IdentitystoreClient client;
        try {
            client = IdentitystoreClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        } catch (SdkException e) {
            throw new IllegalStateException("detection: the AWS SDK could not be set up for the identity store ("
                    + e.getMessage() + "); set AWS_REGION (or a profile with a region, AWS_PROFILE) and credentials", e);
        }
        return new IdentityCenterPeople(client, configuredStoreId, userAttribute, clock, DEFAULT_TTL, DEFAULT_MAX_ENTRIES);
    }

    /**
     * The person an Identity Center session stands for.
     *
     * @param storeId     the identity store the event names ({@code onBehalfOf.identityStoreArn}), if any
     * @param userId      the Identity Center user id the event names ({@code onBehalfOf.userId}), if any
     * @param sessionName the role session's name: Identity Center sets it to the user's {@code userName}
     * @throws RuntimeException the identity store could not be asked (the event is worth retrying)
     */
    public Optional<UserEmail> person(Optional<String> storeId, Optional<String> userId, String sessionName) {
        Optional<String> store = storeId.filter(s -> ID.matcher(s).matches()).or(() -> configuredStoreId);
        Optional<String> user = userId.filter(s -> ID.matcher(s).matches());
        if (store.isPresent() && user.isPresent()) {
            return cached("id|" + store.get() + "|" + user.get(), () -> describe(store.get(), user.get()));
        }
        if (userAttribute.equals("userName")) {
            // the session name is the userName, which is the email in this setting
            return UserEmail.tryParse(sessionName);
        }
        // NB: with emails.value the userName is not the email (and may be another user's email): ask the store
        if (store.isEmpty() || sessionName == null || sessionName.isBlank()) {
            return Optional.empty();
        }
        return cached("name|" + store.get() + "|" + sessionName, () -> byUserName(store.get(), sessionName));
    }

    private Optional<UserEmail> cached(String key, Supplier<Optional<UserEmail>> lookup) {
        Instant now = clock.instant();
        synchronized (cache) {
            Cached hit = cache.get(key);
            if (hit != null && now.isBefore(hit.expires())) {
                return hit.person();
            }
        }
        // the lookup runs outside the lock: two events for one uncached user at once may both ask, which is harmless
        Optional<UserEmail> person = lookup.get();
        synchronized (cache) {
            cache.put(key, new Cached(person, now.plus(ttl)));
        }
        return person;
    }

    private Optional<UserEmail> describe(String storeId, String userId) {
        DescribeUserResponse user;
        try {
            user = store.describeUser(b -> b.identityStoreId(storeId).userId(userId));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IdentityStoreUnavailableException("identitystore:DescribeUser of user " + userId + " in " + storeId
                    + " failed: " + e.getMessage(), e);
        }
        return UserEmail.tryParse(userAttribute.equals("userName") ? user.userName() : primaryEmail(user.emails()));
    }

    private Optional<UserEmail> byUserName(String storeId, String userName) {
        String userId;
        try {
            userId = store.getUserId(b -> b.identityStoreId(storeId).alternateIdentifier(AlternateIdentifier.fromUniqueAttribute(
                    UniqueAttribute.builder().attributePath("userName").attributeValue(Document.fromString(userName)).build())))
                    .userId();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IdentityStoreUnavailableException("identitystore:GetUserId of userName " + userName + " in " + storeId
                    + " failed: " + e.getMessage(), e);
        }
        return describe(storeId, userId);
    }

    /** The primary email, else the first: Identity Center keeps one email per user. */
    private static String primaryEmail(List<Email> emails) {
        if (emails == null || emails.isEmpty()) {
            return null;
        }
        return emails.stream().filter(e -> Boolean.TRUE.equals(e.primary())).findFirst().orElse(emails.get(0)).value();
    }

    /** The identity store could not be asked: a passing failure, so the event is retried (never dead-lettered at once). */
    public static final class IdentityStoreUnavailableException extends RuntimeException {
        public IdentityStoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
