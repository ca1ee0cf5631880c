package dev.kapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Controller;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boundaries inside a module that Spring Modulith does not see: a feature folder's web
 * layer is its own.
 */
class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackagesOf(Application.class);

    private static final Path SOURCES = Path.of("src", "main", "java");

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    /**
     * A controller ({@code @RestController} or {@code @Controller}) and the types nested
     * in it (its request and response records, its constants) are used only in the
     * controller's own package: what other packages need lives in a type of its own (a
     * limits type, a service's result record). Checked in the byte code, and in the
     * sources for what javac inlines (a constant in an annotation).
     */
    @Test
    void webTypeWhenUsedOutsideItsOwnPackageThenFails() {
        List<JavaClass> webTypes = CLASSES.stream().filter(ArchitectureTests::isWebType).toList();
        List<String> violations = new ArrayList<>();
        for (JavaClass web : webTypes) {
            for (Dependency dependency : web.getDirectDependenciesToSelf()) {
                if (!dependency.getOriginClass().getPackageName().equals(web.getPackageName())) {
                    violations.add(dependency.getDescription());
                }
            }
        }
        violations.addAll(sourcesNamingAWebTypeOfAnotherPackage(webTypes));

        assertThat(webTypes).as("controllers found").isNotEmpty();
        assertThat(violations).as("web types used outside their own package").isEmpty();
    }

    private static boolean isWebType(JavaClass type) {
        if (type.isMetaAnnotatedWith(Controller.class)) {
            return true;
        }
        return type.getEnclosingClass().map(ArchitectureTests::isWebType).orElse(false);
    }

    /**
     * Another package can name a type only by its qualified name (an import or inline),
     * so a source of another package that holds it uses it.
     */
    private static List<String> sourcesNamingAWebTypeOfAnotherPackage(List<JavaClass> webTypes) {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher declared = PACKAGE.matcher(source);
                String pkg = declared.find() ? declared.group(1) : "";
                for (JavaClass web : webTypes) {
                    String name = web.getName().replace('$', '.');
                    if (!web.getPackageName().equals(pkg) && source.contains(name)
                            && Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(source).find()) {
                        violations.add(file + " names " + name);
                    }
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return violations;
    }

}
