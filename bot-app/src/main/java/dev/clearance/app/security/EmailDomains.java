package dev.clearance.app.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The email domains whose people may sign in to the web page ({@code CLEARANCE_WEB_ALLOWED_EMAIL_DOMAINS}). A domain
 * matches exactly (case aside): {@code example.com} admits {@code ann@example.com}, not {@code ann@dev.example.com}.
 * Empty: any email the identity provider verified, which a startup warning says.
 */
public final class EmailDomains {
    private static final Logger LOG = LoggerFactory.getLogger(EmailDomains.class);
    private final Set<String> domains;

    private EmailDomains(Set<String> domains) {
        this.domains = domains;
    }

    public static EmailDomains of(List<String> configured) {
        Set<String> domains = (configured == null ? List.<String>of() : configured).stream()
                .flatMap(d -> java.util.Arrays.stream(d.split("[,\\s]+")))
                .map(String::strip).filter(d -> !d.isEmpty())
                .map(d -> d.startsWith("@") ? d.substring(1) : d)
                .map(EmailDomains::normalise)
                .collect(Collectors.toUnmodifiableSet());
        for (String d : domains) {
            if (d.isEmpty() || d.contains("@") || d.contains("*") || !d.contains(".")) {
                throw new IllegalStateException("clearance.web.allowed-email-domains (CLEARANCE_WEB_ALLOWED_EMAIL_DOMAINS): '"
                        + d + "' is not a domain; write e.g. example.com,example.org");
            }
        }
        return new EmailDomains(domains);
    }

    /** Says at startup who may sign in; warns when it is anyone the identity provider verified. */
    public void announce(String issuer) {
        if (domains.isEmpty()) {
            LOG.warn("CLEARANCE_WEB_ALLOWED_EMAIL_DOMAINS is empty: any verified email of {} may sign in to the web page "
                    + "(with a public identity provider, anyone); set it to your organisation's email domains", issuer);
        } else {
            LOG.info("web page sign-in limited to emails at {}", domains.stream().sorted().toList());
        }
    }

    public boolean isEmpty() {
        return domains.isEmpty();
    }

    /** NB: the domain is everything after the last '@', compared exactly: no suffix match, so no look-alike subdomain. */
    public boolean allows(String email) {
        if (domains.isEmpty()) {
            return true;
        }
        int at = email.lastIndexOf('@');
        return at > 0 && domains.contains(normalise(email.substring(at + 1)));
    }

    private static String normalise(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        try {
            return IDN.toASCII(d);
        } catch (IllegalArgumentException notADomain) {
            return d;
        }
    }
}
