package org.nostrp2p.overlay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The architecture rules of overlay-core, as functions of the root package so that a test can
 * show each rule failing on a fixture that breaks it.
 */
final class OverlayArchitecture {

    private OverlayArchitecture() {
    }

    /**
     * No cycle between the root package and its sub-packages: every class under {@code root}
     * belongs to the slice of its first sub-package, or to the root's own slice ("API").
     * ({@code slices().matching(root + ".(*)..")} would leave the root package out.)
     */
    static ArchRule noPackageCycles(String root) {
        SliceAssignment byFirstSubPackage = new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                if (name.equals(root)) {
                    return SliceIdentifier.of("API " + root);
                }
                if (name.startsWith(root + ".")) {
                    String rest = name.substring(root.length() + 1);
                    int dot = rest.indexOf('.');
                    return SliceIdentifier.of(root + "." + (dot < 0 ? rest : rest.substring(0, dot)));
                }
                return SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return root + " and each of its sub-packages";
            }
        };
        return slices().assignedFrom(byFirstSubPackage).should().beFreeOfCycles();
    }

    /**
     * The API (public classes of {@code apiPackage} whose enclosing classes are public too)
     * names no type of {@code internalPackages} in a public or protected signature: supertypes,
     * fields, constructor and method parameters, return types (generic arguments included) and
     * throws clauses.
     */
    static ArchRule apiExposesNoInternalType(String apiPackage, String... internalPackages) {
        DescribedPredicate<JavaClass> api = DescribedPredicate.describe("public API classes", OverlayArchitecture::isApi);
        return classes().that().resideInAPackage(apiPackage).and(api)
                .should(new ArchCondition<JavaClass>("expose no type of " + String.join(", ", internalPackages)) {
                    @Override
                    public void check(JavaClass javaClass, ConditionEvents events) {
                        for (String leak : leaks(javaClass, internalPackages)) {
                            events.add(SimpleConditionEvent.violated(javaClass, leak));
                        }
                    }
                });
    }

    /**
     * {@code components} (and their nested classes) depend on nothing of {@code hub} (nor of its
     * nested classes): no field, parameter, return type, call or constant of it. They get the
     * narrow collaborators they need instead (issue 11: mesh's gossip_channel.go takes a name,
     * a peer, routes and a gossiper, never the router). Fails, too, when no class is a
     * component, so that a rename cannot make it pass by checking nothing.
     */
    static ArchRule doNotReachTheHub(Class<?> hub, Class<?>... components) {
        return noClasses().that().belongToAnyOf(components)
                .should().dependOnClassesThat().belongToAnyOf(hub)
                .because("a component is handed what it needs, not the hub")
                .allowEmptyShould(false);
    }

    private static boolean isApi(JavaClass javaClass) {
        Optional<JavaClass> current = Optional.of(javaClass);
        while (current.isPresent()) {
            if (!current.get().getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
            current = current.get().getEnclosingClass();
        }
        return true;
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static List<String> leaks(JavaClass javaClass, String... internalPackages) {
        List<String> leaks = new ArrayList<>();
        List<JavaType> supertypes = new ArrayList<>(javaClass.getInterfaces());
        javaClass.getSuperclass().ifPresent(supertypes::add);
        for (JavaType supertype : supertypes) {
            check(javaClass.getName() + " extends/implements", supertype, internalPackages, leaks);
        }
        for (JavaField field : javaClass.getFields()) {
            if (visible(field.getModifiers())) {
                check(field.getFullName(), field.getType(), internalPackages, leaks);
            }
        }
        for (JavaCodeUnit unit : javaClass.getCodeUnits()) {
            if (!visible(unit.getModifiers()) || unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                continue;
            }
            check(unit.getFullName() + " returns", unit.getReturnType(), internalPackages, leaks);
            for (JavaType parameter : unit.getParameterTypes()) {
                check(unit.getFullName() + " takes", parameter, internalPackages, leaks);
            }
            for (JavaClass thrown : unit.getThrowsClause().getTypes()) {
                check(unit.getFullName() + " throws", thrown, internalPackages, leaks);
            }
        }
        return leaks;
    }

    private static void check(String where, JavaType type, String[] internalPackages, List<String> leaks) {
        for (JavaClass involved : type.getAllInvolvedRawTypes()) {
            String pkg = involved.getPackageName();
            for (String internal : internalPackages) {
                if (pkg.equals(internal) || pkg.startsWith(internal + ".")) {
                    leaks.add(where + " " + involved.getName());
                }
            }
        }
    }
}
