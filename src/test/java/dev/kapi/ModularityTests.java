package dev.kapi;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

class ModularityTests {

    private static final ApplicationModules MODULES = ApplicationModules.of(Application.class);

    @Test
    void modulesOnlyUseEachOthersPublicApi() {
        MODULES.verify();
    }

    /**
     * The module diagrams and canvases README points at, written from the code as it is.
     */
    @Test
    void moduleDiagramsAndCanvasesAreWrittenIntoDocs() {
        Path folder = Path.of("docs", "modules");

        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(folder.toString())).writeDocumentation();

        assertThat(folder.resolve("components.puml")).exists();
        for (String module : new String[] { "identity", "plans", "admin", "events", "trading", "messaging" }) {
            assertThat(folder.resolve("module-" + module + ".puml")).exists();
            assertThat(Files.exists(folder.resolve("module-" + module + ".adoc"))).as(module).isTrue();
        }
    }

}
