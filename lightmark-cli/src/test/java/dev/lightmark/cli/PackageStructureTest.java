package dev.lightmark.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package structure stays as README describes it: no cycles, and core free of the heavy libraries. */
class PackageStructureTest {
    /** Every module's main classes, from their class folders or jars; no test classes or test jars. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
            .importPackages("dev.lightmark");

    @Test
    void everyModuleIsChecked() {
        for (String cls : new String[]{"dev.lightmark.Lightmark", "dev.lightmark.train.EpochLoop", "dev.lightmark.track.FaceTracker",
                "dev.lightmark.serve.LandmarkService", "dev.lightmark.cli.Main"})
            org.junit.jupiter.api.Assertions.assertTrue(MAIN.contain(cls), cls + " not imported");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.lightmark.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theCoreApiNeedsNeitherTrainingVideoNorServer() {
        noClasses().that().resideInAnyPackage("dev.lightmark", "dev.lightmark.infer..", "dev.lightmark.detect..",
                        "dev.lightmark.image..", "dev.lightmark.eval..", "dev.lightmark.quality..", "dev.lightmark.batch..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "org.bytedeco..", "io.javalin..", "org.eclipse.jetty..",
                        "dev.lightmark.model..", "dev.lightmark.train..", "dev.lightmark.serve..", "dev.lightmark.video..")
                .check(MAIN);
    }
}
