package dev.kapi;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

class ModularityTests {

    private static final ApplicationModules MODULES = ApplicationModules.of(Application.class);

    /**
     * Every module, as README's layout lists them: a new package under {@code dev.kapi}
     * fails {@link #modulesWhenListedThenEveryTopLevelPackageIsOne} until it is named
     * here (and there).
     */
    private static final List<String> NAMES = List.of("admin", "events", "identity", "messaging", "plans", "shared",
            "trading", "webhooks");

    /**
     * Where the build writes the module documentation;
     * {@code src/build/update-module-docs.sh} copies it to docs/modules.
     */
    private static final Path DOCS = Path.of("target", "spring-modulith-docs");

    @Test
    void modulesOnlyUseEachOthersPublicApi() {
        MODULES.verify();
    }

    @Test
    void modulesWhenListedThenEveryTopLevelPackageIsOne() {
        assertThat(MODULES.stream().map(ModularityTests::name)).containsExactlyInAnyOrderElementsOf(NAMES);
    }

    /**
     * The module diagrams and canvases README points at, written from the code as it is,
     * under target/ (docs/modules changes only when someone copies them there).
     */
    @Test
    void documentationWhenWrittenThenOneDiagramAndCanvasPerModuleUnderTarget() {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(DOCS.toString())).writeDocumentation();

        assertThat(DOCS.resolve("components.puml")).exists();
        for (String module : NAMES) {
            assertThat(DOCS.resolve("module-" + module + ".puml")).exists();
            assertThat(DOCS.resolve("module-" + module + ".adoc")).exists();
        }
    }

    private static String name(ApplicationModule module) {
        return module.getIdentifier().toString();
    }

}
