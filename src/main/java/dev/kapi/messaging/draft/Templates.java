package dev.kapi.messaging.draft;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message texts with variables: {@code {{name}}}, {@code {{phone}}} and the customers'
 * custom fields ({@code {{city}}}). A variable a recipient has no value for is rendered
 * empty.
 */
public final class Templates {

    public static final Set<String> BUILT_IN = Set.of("name", "phone");

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^{}\\s]*)\\s*}}");

    public static final Pattern FIELD_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

    private Templates() {
    }

    /** The variable names a text uses, in order of first use. */
    public static Set<String> variables(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = VARIABLE.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    public static String render(String text, String name, String phone, Map<String, String> fields) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value = switch (variable) {
                case "name" -> name;
                case "phone" -> phone;
                default -> fields == null ? null : fields.get(variable);
            };
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

}
