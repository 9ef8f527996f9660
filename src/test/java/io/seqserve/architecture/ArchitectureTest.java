package io.seqserve.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The package table of docs/DESIGN.md, checked: who may use whom, no HTTP types below the controllers
 * and {@code web}, no cycles. A change that breaks a rule changes the table first.
 */
@Tag("unit")
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.seqserve");
    }

    /** Each row: a package and the packages it may use (besides the root package and libraries). */
    @Test
    void packagesUseOnlyWhatTheTableAllows() {
        Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInAnyPackage("io.seqserve..")
                .withOptionalLayers(true)
                .layer("root")
                .definedBy("io.seqserve")
                .layer("runtime")
                .definedBy("io.seqserve.runtime..")
                .layer("registry")
                .definedBy("io.seqserve.registry..")
                .layer("inference")
                .definedBy("io.seqserve.inference..")
                .layer("live")
                .definedBy("io.seqserve.live..")
                .layer("predict")
                .definedBy("io.seqserve.predict..")
                .layer("series")
                .definedBy("io.seqserve.series..")
                .layer("forecasting")
                .definedBy("io.seqserve.forecasting..")
                .layer("generation")
                .definedBy("io.seqserve.generation..")
                .layer("training")
                .definedBy("io.seqserve.training")
                .layer("training.task")
                .definedBy("io.seqserve.training.task..")
                .layer("training.nn")
                .definedBy("io.seqserve.training.nn..")
                .layer("training.data")
                .definedBy("io.seqserve.training.data..")
                .layer("web")
                .definedBy("io.seqserve.web..")
                .layer("ops")
                .definedBy("io.seqserve.ops..")
                .layer("console")
                .definedBy("io.seqserve.console..")
                .layer("accuracy")
                .definedBy("io.seqserve.accuracy..")
                .whereLayer("ops")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("console")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("predict")
                .mayOnlyBeAccessedByLayers("ops")
                .whereLayer("forecasting")
                .mayOnlyBeAccessedByLayers("accuracy", "ops")
                .whereLayer("accuracy")
                .mayOnlyBeAccessedByLayers("training", "ops")
                .whereLayer("generation")
                .mayOnlyBeAccessedByLayers("ops")
                .whereLayer("training")
                .mayOnlyBeAccessedByLayers("ops")
                .whereLayer("training.task")
                .mayOnlyBeAccessedByLayers("training", "ops")
                .whereLayer("training.nn")
                .mayOnlyBeAccessedByLayers("training", "training.task", "ops")
                .whereLayer("training.data")
                .mayOnlyBeAccessedByLayers("training", "training.task", "training.nn", "ops")
                .whereLayer("live")
                .mayOnlyBeAccessedByLayers("forecasting", "generation", "ops")
                .whereLayer("series")
                .mayOnlyBeAccessedByLayers("forecasting", "accuracy", "training", "training.task", "ops")
                .whereLayer("inference")
                .mayOnlyBeAccessedByLayers("live", "predict", "forecasting", "generation", "ops")
                .whereLayer("registry")
                .mayOnlyBeAccessedByLayers(
                        "inference",
                        "live",
                        "predict",
                        "forecasting",
                        "generation",
                        "training",
                        "training.task",
                        "training.nn",
                        "training.data",
                        "accuracy",
                        "ops")
                .whereLayer("web")
                .mayOnlyBeAccessedByLayers(
                        "predict",
                        "forecasting",
                        "generation",
                        "live",
                        "training",
                        "registry",
                        "accuracy",
                        "ops",
                        "console")
                .check(classes);
    }

    /** The runtime runs models; it knows nothing of the features, the registry or HTTP. */
    @Test
    void runtimeDependsOnNoFeature() {
        noClasses()
                .that()
                .resideInAPackage("io.seqserve.runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.seqserve.registry..",
                        "io.seqserve.inference..",
                        "io.seqserve.live..",
                        "io.seqserve.web..",
                        "io.seqserve.predict..",
                        "io.seqserve.forecasting..",
                        "io.seqserve.series..",
                        "io.seqserve.generation..",
                        "io.seqserve.training..")
                .check(classes);
    }

    /** HTTP lives in web and in the controllers; services below them throw Failure instead. */
    @Test
    void noHttpTypesBelowTheControllers() {
        DescribedPredicate<JavaClass> webFacing = new DescribedPredicate<>("a controller or in web") {
            @Override
            public boolean test(JavaClass c) {
                return c.getPackageName().startsWith("io.seqserve.web")
                        || isController(c)
                        || c.getEnclosingClass()
                                .map(ArchitectureTest::isController)
                                .orElse(false);
            }
        };
        noClasses()
                .that(DescribedPredicate.not(webFacing))
                .and()
                .resideInAPackage("io.seqserve..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.http..", "org.springframework.web..", "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.seqserve.(**)").should().beFreeOfCycles().check(classes);
    }

    private static boolean isController(JavaClass c) {
        return c.isAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                || c.isAnnotatedWith("org.springframework.stereotype.Controller")
                || c.isAnnotatedWith("org.springframework.web.bind.annotation.RestControllerAdvice");
    }
}
