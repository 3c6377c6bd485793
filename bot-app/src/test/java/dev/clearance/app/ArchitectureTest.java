package dev.clearance.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The boundaries of the layout, enforced: core is plain Java, cards are pure, adapters do not know the app. */
class ArchitectureTest {
    private static final JavaClasses CLEARANCE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.clearance");

    @Test
    void coreImportsNoFrameworkPlatformOrJdbcTypes() {
        noClasses().that().resideInAPackage("dev.clearance.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "com.slack..", "com.microsoft.bot..", "java.sql..", "javax.sql..",
                        "jakarta..", "org.quartz..", "tools.jackson..", "com.fasterxml..", "software.amazon..")
                .because("core/ is plain Java; platforms and storage plug in through its ports")
                .check(CLEARANCE);
    }

    @Test
    void coreAndCardsDoNotDependOnAdaptersOrTheApp() {
        noClasses().that().resideInAnyPackage("dev.clearance.core..", "dev.clearance.cards..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.clearance.app..", "dev.clearance.adapters..")
                .check(CLEARANCE);
        noClasses().that().resideInAPackage("dev.clearance.adapters..")
                .should().dependOnClassesThat().resideInAPackage("dev.clearance.app..")
                .because("bot-app is the only composition root")
                .check(CLEARANCE);
    }

    @Test
    void awsSdkTypesStayInTheirAdapter() {
        noClasses().that().resideOutsideOfPackages("dev.clearance.adapters.access.aws..", "dev.clearance.adapters.detection..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon..")
                .because("the AWS SDK is the business of the Identity Center provider and of the CloudTrail detection"
                        + " adapter; the rest sees the AccessProvider port and the detector's DeniedCall")
                .check(CLEARANCE);
    }

    @Test
    void thePolicyFileIsReadWithoutAnyAdapter() {
        noClasses().that().resideInAPackage("dev.clearance.app.config..")
                .should().dependOnClassesThat().resideInAPackage("dev.clearance.adapters..")
                .because("what a policy's grant may say is the access provider's, asked through the core's"
                        + " GrantSectionValidator; the providers are wired in app/access")
                .check(CLEARANCE);
    }

    @Test
    void cardsArePure() {
        noClasses().that().resideInAPackage("dev.clearance.cards..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..", "java.net.http..",
                        "dev.clearance.core.port..", "dev.clearance.core.service..")
                .because("renderers are pure functions of a view")
                .check(CLEARANCE);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.clearance.(**)").should().beFreeOfCycles().check(CLEARANCE);
    }
}
