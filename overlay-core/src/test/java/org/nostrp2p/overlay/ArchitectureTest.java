package org.nostrp2p.overlay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * overlay-core's package structure: {@code org.nostrp2p.overlay} is the API, over
 * {@code wire} (frames, gob, handshake) and {@code topology} (peers, routes), which both use
 * the leaf {@code name} ({@link org.nostrp2p.overlay.name.PeerName}); dependencies go one way;
 * a connection sees its peer through {@link ConnectionHost}, not the {@link Router}.
 * Each rule is also shown failing on a fixture that breaks it.
 */
class ArchitectureTest {
    private static final String ROOT = "org.nostrp2p.overlay";
    private static final String[] INTERNALS = {ROOT + ".wire", ROOT + ".topology", ROOT + ".gossip"};
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
    private static final String FIXTURE = "org.nostrp2p.archfixture";
    private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages(FIXTURE);

    @Test
    void theApiPackageAndItsSubPackagesFormNoCycle() {
        OverlayArchitecture.noPackageCycles(ROOT).check(MAIN);
    }

    @Test
    void peerNameLivesInALeafPackageThatDependsOnNothingElseInTheProject() {
        classes().that().resideInAPackage(ROOT + ".name")
                .should().onlyDependOnClassesThat().resideInAnyPackage(ROOT + ".name", "java..")
                .check(MAIN);
    }

    @Test
    void theApiNamesNoWireOrTopologyTypeInAPublicSignature() {
        OverlayArchitecture.apiExposesNoInternalType(ROOT, INTERNALS).check(MAIN);
    }

    @Test
    void aConnectionAndItsGossipSendersReachThePeerThroughNarrowCollaboratorsNotTheRouter() {
        OverlayArchitecture.doNotReachTheHub(Router.class, Connection.class, GossipSender.class).check(MAIN);
    }

    @Test
    void theRoutersPartsAreGivenWhatTheyNeedAndNeverCallBackIntoTheRouter() {
        // the local peer used to hold the router and reach its connection maker, slot guard,
        // suspensions and settings through it; each now gets those it uses (LocalPeer.Collaborators)
        OverlayArchitecture.doNotReachTheHub(Router.class, LocalPeer.class, ConnectionMaker.class, PassOn.class,
                TopologyNews.class, GossipChannels.class, RouterConnectionHost.class, Initiator.class, Acceptor.class,
                HandshakeRoom.class, ReadPacing.class, Discovery.class, CollisionEvidence.class, LazyPush.class,
                TopologyLink.class).check(MAIN);
    }

    @Test
    void theCycleRuleCatchesACycleBetweenARootPackageAndItsSubPackage() {
        assertThrows(AssertionError.class, () -> OverlayArchitecture.noPackageCycles(FIXTURE).check(FIXTURES));
    }

    @Test
    void theHubRuleSeesTheHubReachedFromAComponentsNestedClass() {
        AssertionError violation = assertThrows(AssertionError.class, () -> OverlayArchitecture.doNotReachTheHub(
                org.nostrp2p.archfixture.hub.Hub.class, org.nostrp2p.archfixture.hub.Component.class).check(FIXTURES));
        assertTrue(violation.getMessage().contains("Component$Handler"), violation.getMessage());
    }

    @Test
    void theSignatureRuleSeesAnInternalTypeInsideAGenericReturnType() {
        assertThrows(AssertionError.class,
                () -> OverlayArchitecture.apiExposesNoInternalType(FIXTURE, FIXTURE + ".internal").check(FIXTURES));
    }
}
