package dev.clearance.app;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ARCHITECTURE.md kept true: its module table against the Maven modules and their dependencies, its port tables
 * against the interfaces and every class implementing them, its paths from a click, a form or a REST call to a
 * decision against the calls in the bytecode, and every class, member and source path it names against the code.
 */
class ArchitectureDocTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final JavaClasses CLEARANCE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.clearance");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** Names the doc may use that are not ours. */
    private static final Set<String> NOT_OURS = Set.of("Clock", "Instant", "OidcUser");

    /** The doc without its fenced blocks (the drawing), whose backticks would pair with the code spans'. */
    private static final String DOC = read(ROOT.resolve("docs/ARCHITECTURE.md")).replaceAll("(?s)\n```.*?\n```", "\n");

    @Test
    void theModuleTableIsEveryMavenModuleWithTheModulesItDependsOn() {
        Map<String, String> artifactToModule = new LinkedHashMap<>();
        for (String module : mavenModules()) {
            artifactToModule.put(ownArtifact(module), module);
        }
        Map<String, Set<String>> actual = new LinkedHashMap<>();
        for (String module : artifactToModule.values()) {
            Set<String> deps = new TreeSet<>();
            Matcher m = Pattern.compile("<artifactId>(clearance-[\\w-]+)</artifactId>")
                    .matcher(dependencies(read(ROOT.resolve(module).resolve("pom.xml"))));
            while (m.find()) {
                if (artifactToModule.containsKey(m.group(1))) {
                    deps.add(artifactToModule.get(m.group(1)));
                }
            }
            actual.put(module, deps);
        }
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        for (List<String> row : table("## Modules")) {
            documented.put(strip(codes(row.get(0)).get(0)), new TreeSet<>(codes(row.get(2)).stream()
                    .map(ArchitectureDocTest::strip).toList()));
        }
        assertThat(documented).as("docs/ARCHITECTURE.md, ## Modules: module → the modules of ours it depends on")
                .isEqualTo(actual);
    }

    @Test
    void thePortTablesNameEveryPortAndEveryImplementation() {
        Map<String, Set<String>> actual = new LinkedHashMap<>();
        for (JavaClass port : CLEARANCE) {
            boolean corePort = port.getPackageName().equals("dev.clearance.core.port");
            boolean adapterPort = port.getPackageName().startsWith("dev.clearance.adapters.");
            if (!port.isInterface() || !(corePort || adapterPort)) {
                continue;
            }
            Set<String> impls = port.getAllSubclasses().stream()
                    .filter(c -> !c.isInterface() && !c.isAnonymousClass() && !c.getSimpleName().isEmpty())
                    .map(JavaClass::getSimpleName).collect(Collectors.toCollection(TreeSet::new));
            boolean implementedByTheApp = port.getAllSubclasses().stream()
                    .anyMatch(c -> c.getPackageName().startsWith("dev.clearance.app"));
            if (corePort ? !impls.isEmpty() : implementedByTheApp) {
                actual.put(port.getName().substring(port.getPackageName().length() + 1).replace('$', '.'), impls);
            }
        }
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        for (String heading : List.of("## Ports (core/port)", "## Ports of the adapters")) {
            for (List<String> row : table(heading)) {
                documented.put(codes(row.get(0)).get(0), codes(row.get(1)).stream().map(ArchitectureDocTest::simpleName)
                        .collect(Collectors.toCollection(TreeSet::new)));
            }
        }
        assertThat(documented).as("docs/ARCHITECTURE.md, the port tables: port → every class implementing it")
                .isEqualTo(actual);
    }

    @Test
    void everyPathToADecisionIsCalledAsDocumented() {
        List<List<String>> rows = table("## From a click, a form or a REST call to a decision");
        assertThat(rows).as("the paths table").hasSizeGreaterThanOrEqualTo(5);
        List<String> broken = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> hops = codes(row.get(1));
            assertThat(hops).as(row.get(0)).hasSizeGreaterThanOrEqualTo(2);
            for (int i = 1; i < hops.size(); i++) {
                String from = hops.get(i - 1).split("\\.")[0];
                String[] to = hops.get(i).split("\\.");
                assertThat(to).as("a hop after the first names Class.method: " + hops.get(i)).hasSize(2);
                if (!calls(from, to[0], to[1])) {
                    broken.add(row.get(0) + ": " + from + " does not call " + hops.get(i));
                }
            }
        }
        assertThat(broken).as("paths in docs/ARCHITECTURE.md that the code does not take").isEmpty();
    }

    @Test
    void everyClassMemberAndPathTheDocNamesExists() {
        List<String> missing = new ArrayList<>();
        Matcher m = CODE.matcher(DOC);
        while (m.find()) {
            String token = m.group(1).strip();
            if (token.matches("[A-Z][a-z]\\w*(\\.\\w+)?")) {
                String[] parts = token.split("\\.");
                if (NOT_OURS.contains(parts[0])) {
                    continue;
                }
                List<JavaClass> named = byName(parts[0]);
                if (named.isEmpty() && parts.length == 1 && sourceExists(parts[0])) {
                    continue;
                }
                if (named.isEmpty()) {
                    missing.add(token + " (no such class)");
                } else if (parts.length == 2 && named.stream().noneMatch(c -> hasMember(c, parts[1]))) {
                    missing.add(token + " (no such member)");
                }
            } else if (token.matches("[a-z][a-z.-]*(/[\\w.-]+)+/?")) {
                String path = token.replaceAll("/$", "");
                String last = path.substring(path.lastIndexOf('/') + 1);
                if (last.matches("[A-Z]\\w*\\.[a-z]\\w*")) {
                    String[] member = last.split("\\.");
                    if (!pathExists(path.substring(0, path.length() - member[1].length() - 1))
                            || byName(member[0]).stream().noneMatch(c -> hasMember(c, member[1]))) {
                        missing.add(token + " (no such class and member at that path)");
                    }
                } else if (!pathExists(path)) {
                    missing.add(token + " (no such source path)");
                }
            }
        }
        assertThat(missing).as("names in docs/ARCHITECTURE.md that the code does not have").isEmpty();
    }

    private static boolean calls(String fromClass, String toClass, String method) {
        return byName(fromClass).stream()
                .flatMap(c -> Stream.concat(Stream.of(c), CLEARANCE.stream()
                        .filter(n -> n.getName().startsWith(c.getName() + "$"))))
                .flatMap(c -> Stream.concat(c.getMethodCallsFromSelf().stream().map(JavaMethodCall::getTarget),
                        c.getMethodReferencesFromSelf().stream().map(r -> r.getTarget())))
                .anyMatch(t -> t.getName().equals(method) && (t.getOwner().getSimpleName().equals(toClass)
                        || byName(toClass).stream().anyMatch(c -> c.isAssignableTo(t.getOwner().getName()))));
    }

    private static List<JavaClass> byName(String simpleName) {
        return CLEARANCE.stream().filter(c -> c.getSimpleName().equals(simpleName)).toList();
    }

    private static boolean hasMember(JavaClass c, String member) {
        return c.getAllMethods().stream().anyMatch(x -> x.getName().equals(member))
                || c.getAllFields().stream().anyMatch(x -> x.getName().equals(member))
                || CLEARANCE.contain(c.getName() + "$" + member);
    }

    /** A class outside the imported ones that the doc names: a test, or the bench (not on this module's classpath). */
    private static boolean sourceExists(String simpleName) {
        return mavenModules().stream().flatMap(mod -> Stream.of("src/main/java", "src/test/java").map(ROOT.resolve(mod)::resolve))
                .filter(Files::isDirectory)
                .anyMatch(tests -> {
                    try (Stream<Path> all = Files.walk(tests)) {
                        return all.anyMatch(p -> p.getFileName().toString().equals(simpleName + ".java"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** A path as the doc writes it: from the root, or a module then a path below its base package, or below any. */
    private static boolean pathExists(String token) {
        if (Files.exists(ROOT.resolve(token))) {
            return true;
        }
        String module = mavenModules().stream().filter(mod -> token.startsWith(mod + "/"))
                .max((a, b) -> a.length() - b.length()).orElse("");
        String rest = module.isEmpty() ? token : token.substring(module.length() + 1);
        List<String> modules = module.isEmpty() ? mavenModules() : List.of(module);
        for (String mod : modules) {
            Path sources = ROOT.resolve(mod).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(sources)) {
                if (all.map(p -> sources.relativize(p).toString().replace('\\', '/'))
                        .anyMatch(p -> p.endsWith("/" + rest + ".java") || p.endsWith("/" + rest))) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    /** The rows of the first table after a heading, without its header and separator; cells trimmed. */
    private static List<List<String>> table(String heading) {
        int at = DOC.indexOf("\n" + heading + "\n");
        assertThat(at).as("docs/ARCHITECTURE.md has the section " + heading).isGreaterThanOrEqualTo(0);
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : DOC.substring(at + heading.length() + 2).split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                List<String> cells = Stream.of(line.substring(1, line.length() - 1).split("\\|", -1))
                        .map(String::strip).toList();
                rows.add(cells);
            } else if (inTable || line.startsWith("## ")) {
                break;
            }
        }
        return rows.size() < 2 ? List.of() : rows.subList(2, rows.size());
    }

    private static List<String> codes(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            out.add(m.group(1).strip());
        }
        return out;
    }

    private static String strip(String module) {
        return module.replaceAll("/$", "");
    }

    private static String simpleName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Every Maven module with sources or a pom of its own, as a path from the root (aggregators left out). */
    private static List<String> mavenModules() {
        List<String> out = new ArrayList<>();
        collectModules("", out);
        return out;
    }

    private static void collectModules(String dir, List<String> out) {
        String pom = read(ROOT.resolve(dir).resolve("pom.xml"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        boolean aggregator = false;
        while (m.find()) {
            aggregator = true;
            collectModules(dir.isEmpty() ? m.group(1) : dir + "/" + m.group(1), out);
        }
        if (!aggregator) {
            out.add(dir);
        }
    }

    private static String ownArtifact(String module) {
        String pom = read(ROOT.resolve(module).resolve("pom.xml"));
        String afterParent = pom.substring(pom.indexOf("</parent>"));
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(afterParent);
        assertThat(m.find()).as(module + "/pom.xml names its artifact").isTrue();
        return m.group(1);
    }

    /** The {@code <dependencies>} of a pom (not its dependencyManagement or plugins). */
    private static String dependencies(String pom) {
        String withoutManagement = pom.replaceAll("(?s)<dependencyManagement>.*?</dependencyManagement>", "")
                .replaceAll("(?s)<plugins>.*?</plugins>", "");
        int from = withoutManagement.indexOf("<dependencies>");
        return from < 0 ? "" : withoutManagement.substring(from, withoutManagement.indexOf("</dependencies>", from));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
