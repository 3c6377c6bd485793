package dev.clearance.app.config;

import dev.clearance.core.model.Person;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.ApproverTree;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Detection;
import dev.clearance.core.policy.Intervals;
import dev.clearance.core.policy.Limits;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.UnknownAccounts;
import dev.clearance.core.port.GrantSectionValidator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the policy file, one section class each ({@link IntervalsSection}, {@link LimitsSection},
 * {@link PeopleSection}, {@link ScopesSection}, {@link PoliciesSection}, {@link GrantSection}, {@link DetectionSection}).
 * Collects every problem (not just the first), each as {@code file:line: key: what is wrong and what to write instead};
 * and warnings, in the same form, for what is allowed but probably not meant (a policy that states no
 * {@code max-duration}), logged at startup and printed by {@code validate-config}. What a policy's {@code grant} may say
 * is the access provider's business: the caller passes its {@link GrantSectionValidator}.
 */
public final class PolicyFileLoader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PolicyFileLoader.class);
    /** The sections of the file (the schema's top-level properties). */
    static final Set<String> SECTIONS = Set.of("intervals", "users", "groups", "scopes", "policies", "default-policy",
            "unknown-accounts", "limits", "detection");

    private final PolicyYaml yaml;
    private final GrantSectionValidator grants;

    /** A valid policy file, and what it would be wise to state in it. */
    public record Loaded(ClearanceConfig config, List<String> warnings) {
        public Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    private PolicyFileLoader(String file, GrantSectionValidator grants) {
        this.yaml = new PolicyYaml(file);
        this.grants = grants;
    }

    /** Loads a policy file, logging each warning. */
    public static ClearanceConfig load(Path path, GrantSectionValidator grants) {
        return logged(read(path, grants));
    }

    public static ClearanceConfig parse(String name, String text, GrantSectionValidator grants) {
        return logged(parseWithWarnings(name, text, grants));
    }

    private static ClearanceConfig logged(Loaded loaded) {
        loaded.warnings().forEach(w -> LOG.warn("policy file: {}", w));
        return loaded.config();
    }

    /** Loads a policy file; the warnings are the caller's to show. */
    public static Loaded read(Path path, GrantSectionValidator grants) {
        String name = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new PolicyFileException(name, List.of(name + ": file not found (set CLEARANCE_CONFIG to the policy file's path)"));
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new PolicyFileLoader(name, grants).parse(reader);
        } catch (IOException e) {
            throw new PolicyFileException(name, List.of(name + ": cannot be read: " + e.getMessage()));
        }
    }

    public static Loaded parseWithWarnings(String name, String text, GrantSectionValidator grants) {
        return new PolicyFileLoader(name, grants).parse(new StringReader(text));
    }

    private Loaded parse(Reader reader) {
        String file = yaml.file();
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new PolicyFileException(file, List.of(file + ":" + line + ": not valid YAML: " + e.getProblem()));
        } catch (RuntimeException e) {
            throw new PolicyFileException(file, List.of(file + ": not valid YAML: " + e.getMessage()));
        }
        if (!(root instanceof MappingNode top)) {
            throw new PolicyFileException(file, List.of(file + ": expected a mapping with users, groups, scopes and policies"));
        }
        Map<String, Node> sections = yaml.mapping(top, "(top level)", SECTIONS);
        PeopleSection people = new PeopleSection(yaml);
        ScopesSection scopes = new ScopesSection(yaml, people);
        GrantSection grant = new GrantSection(yaml, grants);
        PoliciesSection policySection = new PoliciesSection(yaml, people, grant);

        Intervals intervals = new IntervalsSection(yaml).read(sections.get("intervals"));
        UnknownAccounts unknownAccounts = scopes.unknownAccounts(sections.get("unknown-accounts"));
        Limits limits = new LimitsSection(yaml).read(sections.get("limits"));
        Map<UserEmail, Person> users = people.users(sections.get("users"));
        Map<String, Set<UserEmail>> groups = people.groups(sections.get("groups"));
        ApproverTree tree = scopes.read(sections.get("scopes"), top, groups);
        Policy defaultPolicy = policySection.defaultPolicy(sections.get("default-policy"), top);
        List<Policy> policies = policySection.policies(sections.get("policies"), groups);
        grant.checkScopeAccounts(defaultPolicy, policies, tree, sections.get("scopes"));
        Detection detection = new DetectionSection(yaml).read(sections.get("detection"));
        if (!yaml.problems().isEmpty()) {
            throw new PolicyFileException(file, yaml.problems());
        }
        return new Loaded(new ClearanceConfig(users, groups, tree, policies, defaultPolicy, intervals, unknownAccounts,
                limits, detection), yaml.warnings());
    }
}
