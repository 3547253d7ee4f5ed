package org.nostrp2p.server;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The application (this module's code and tests, and the rest-api, store and nostr-model
 * classes on its class path) embeds overlay-core through its API alone: the package
 * {@code org.nostrp2p.overlay} and the leaf {@code org.nostrp2p.overlay.name}, never
 * {@code wire}, {@code topology} or any other internal package.
 */
class OverlayApiUsageTest {
    private static final JavaClasses PROJECT = new ClassFileImporter().importPackages("org.nostrp2p");

    @Test
    void codeOutsideOverlayCoreUsesOnlyItsApiPackages() {
        noClasses().that().resideOutsideOfPackage("org.nostrp2p.overlay..")
                .should().dependOnClassesThat(resideInAPackage("org.nostrp2p.overlay..")
                        .and(not(resideInAnyPackage("org.nostrp2p.overlay", "org.nostrp2p.overlay.name")))
                        .as("are overlay-core internals (anything but org.nostrp2p.overlay and .name)"))
                .check(PROJECT);
    }
}
