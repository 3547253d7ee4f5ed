package org.nostrp2p.examples;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The examples are what embedders copy: they use overlay-core through its API packages alone
 * ({@code org.nostrp2p.overlay} and {@code org.nostrp2p.overlay.name}), never {@code wire},
 * {@code topology} or another internal package.
 */
class OverlayApiUsageTest {

    @Test
    void theExamplesAndTheirTestsUseOnlyOverlayCoresApiPackages() {
        noClasses().that().resideInAPackage("org.nostrp2p.examples..")
                .should().dependOnClassesThat(resideInAPackage("org.nostrp2p.overlay..")
                        .and(not(resideInAnyPackage("org.nostrp2p.overlay", "org.nostrp2p.overlay.name")))
                        .as("are overlay-core internals (anything but org.nostrp2p.overlay and .name)"))
                .check(new ClassFileImporter().importPackages("org.nostrp2p.examples"));
    }
}
