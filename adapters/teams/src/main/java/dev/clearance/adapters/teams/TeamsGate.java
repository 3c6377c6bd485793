package dev.clearance.adapters.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.Serialization;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which Teams activities Clearance acts on at all: those from the configured Microsoft Entra tenant(s) and, in
 * development mode (no Bot Framework token to prove where an activity comes from), only those whose
 * {@code serviceUrl} is on this machine, so that a forged activity cannot make Clearance call another address.
 */
public final class TeamsGate {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private final Set<String> tenants;
    private final boolean development;

    /**
     * @param tenants     the tenants whose people Clearance acts for; empty accepts any (development mode only: the
     *                    application refuses to start with an app id and no tenant)
     * @param development no app id: activities are not authenticated
     */
    public TeamsGate(Collection<String> tenants, boolean development) {
        this.tenants = tenants.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.development = development;
    }

    public static final String OTHER_TENANT = "Clearance only acts for members of its organisation's Microsoft 365 "
            + "tenant. Your Teams account belongs to another tenant, so nothing was done.";

    /** Why an activity's {@code serviceUrl} is refused before anything is fetched from or stored for it, if it is. */
    public Optional<String> serviceUrlRefusal(Activity a) {
        // NB: in development mode nothing proves the serviceUrl; Clearance would fetch from it and send cards to it
        if (development && !isLoopback(a.getServiceUrl())) {
            return Optional.of("development mode (TEAMS_ALLOW_UNAUTHENTICATED=true) accepts only activities whose "
                    + "serviceUrl is on this machine (localhost, 127.0.0.0/8, ::1)");
        }
        return Optional.empty();
    }

    /** Why an activity's tenant is refused, if it is: not a configured one, or two different tenants named. */
    public Optional<String> tenantRefusal(Activity a) {
        if (tenants.isEmpty()) {
            return Optional.empty();
        }
        String conversationTenant = a.getConversation() == null ? null : a.getConversation().getTenantId();
        JsonNode data = a.getChannelData() == null ? null : Serialization.objectToTree(a.getChannelData());
        String dataTenant = data == null ? null : text(data.path("tenant").path("id"));
        // NB: both places must agree, and at least one must name a configured tenant; none named is refused
        if (conversationTenant != null && dataTenant != null
                && !conversationTenant.equalsIgnoreCase(dataTenant)) {
            return Optional.of(OTHER_TENANT);
        }
        String tenant = conversationTenant != null ? conversationTenant : dataTenant;
        return tenant != null && tenants.contains(tenant.strip().toLowerCase(Locale.ROOT)) ? Optional.empty()
                : Optional.of(OTHER_TENANT);
    }

    /** The activity's tenant, as checked by {@link #tenantRefusal}. */
    static String tenantOf(Activity a) {
        String t = a.getConversation() == null ? null : a.getConversation().getTenantId();
        if (t == null && a.getChannelData() != null) {
            t = text(Serialization.objectToTree(a.getChannelData()).path("tenant").path("id"));
        }
        return t;
    }

    /**
     * A URL whose host is written as this machine: {@code localhost}, an IPv4 literal in 127.0.0.0/8, or {@code [::1]}.
     * Names are never resolved (a name that resolves to 127.0.0.1 today may not tomorrow).
     */
    static boolean isLoopback(String url) {
        if (url == null) {
            return false;
        }
        URI uri;
        try {
            // NB: the URL exactly as botbuilder will use it: stripped here, " http://127.0.0.1/" passed and then failed
            // inside the SDK as a 500
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!(scheme.equals("http") || scheme.equals("https")) || host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        var v4 = IPV4.matcher(host);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return v4.group(1).equals("127");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                // an IPv6 literal: getByName parses it without any lookup
                return InetAddress.getByName(host.substring(1, host.length() - 1)).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }
}
