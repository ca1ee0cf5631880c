package dev.kapi.shared.web;

import java.io.DataInput;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kapi.shared.CleanText;
import dev.kapi.shared.Decimals;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonParser.NumberType;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.io.IOContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonFactoryBuilder;
import tools.jackson.core.sym.PropertyNameMatcher;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.jdk.NumberDeserializers;
import tools.jackson.databind.module.SimpleModule;

/**
 * The one place where every JSON text Kapı reads is checked, whatever it is read into (a
 * record, a map, a tree): no string or name with U+0000 or an unpaired surrogate, no
 * number out of {@link Decimals}' range, no duplicate key, nesting at most
 * {@value #MAX_DEPTH} deep. A breach is an {@link InvalidInput} naming the field by its
 * path, answered 400.
 */
@Configuration(proxyBeanMethods = false)
class CheckedJson {

    static final int MAX_DEPTH = 64;

    /**
     * Replaces Spring Boot's JSON factory; Boot's own factory customizers still apply.
     */
    @Bean
    JsonFactory jsonFactory(ObjectProvider<JsonFactoryBuilderCustomizer> customizers) {
        JsonFactoryBuilder builder = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(Decimals.MAX_LENGTH)
                .build());
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return new Factory(builder);
    }

    /**
     * The same range for numbers that arrive as JSON strings ({@code "1e400000"}), which
     * Jackson turns into a {@code BigDecimal} or {@code double} without a number token:
     * out of range, or not finite, is a 400.
     */
    @Bean
    JacksonModule checkedNumbers() {
        SimpleModule module = new SimpleModule("kapi-checked-numbers");
        module.addDeserializer(BigDecimal.class, new CheckedDecimal());
        module.addDeserializer(Double.class, new CheckedDouble(Double.class, null));
        module.addDeserializer(Double.TYPE, new CheckedDouble(Double.TYPE, 0.0));
        return module;
    }

    private static final class CheckedDecimal extends NumberDeserializers.BigDecimalDeserializer {

        @Override
        public BigDecimal deserialize(JsonParser parser, DeserializationContext context) {
            BigDecimal value;
            try {
                value = super.deserialize(parser, context);
            }
            catch (NumberFormatException ex) {
                throw new InvalidInput(parser, pathOf(parser), Decimals.OUT_OF_RANGE);
            }
            if (value != null && !Decimals.inRange(value)) {
                throw new InvalidInput(parser, pathOf(parser), Decimals.OUT_OF_RANGE);
            }
            return value;
        }

    }

    private static final class CheckedDouble extends NumberDeserializers.DoubleDeserializer {

        CheckedDouble(Class<Double> type, Double emptyValue) {
            super(type, emptyValue);
        }

        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) {
            Double value = super.deserialize(parser, context);
            if (value != null && !Double.isFinite(value)) {
                throw new InvalidInput(parser, pathOf(parser), Decimals.OUT_OF_RANGE);
            }
            return value;
        }

    }

    /**
     * Where the parser's current token is, as {@code params.buy_below} or
     * {@code items[2].name}.
     */
    static String pathOf(JsonParser parser) {
        Deque<String> parts = new ArrayDeque<>();
        for (TokenStreamContext context = parser.streamReadContext(); context != null
                && !context.inRoot(); context = context.getParent()) {
            if (context.inArray()) {
                parts.push("[" + Math.max(0, context.getCurrentIndex()) + "]");
            }
            else if (context.currentName() != null) {
                parts.push("." + context.currentName());
            }
        }
        String path = String.join("", parts);
        path = path.startsWith(".") ? path.substring(1) : path;
        // A name that is itself the defect is not repeated raw into the answer.
        return CleanText.defect(path) == null ? path : "(name)";
    }

    /**
     * A string, name or number a client sent that Kapı does not take, and where it was.
     */
    static final class InvalidInput extends StreamReadException {

        private final String field;

        private final String code;

        InvalidInput(JsonParser parser, String field, String code) {
            super(parser, code + " at " + field);
            this.field = field;
            this.code = code;
        }

        String field() {
            return field;
        }

        String code() {
            return code;
        }

    }

    private static final class Factory extends JsonFactory {

        Factory(JsonFactoryBuilder builder) {
            super(builder);
        }

        private Factory(Factory source) {
            super(source);
        }

        @Override
        public JsonFactory copy() {
            return new Factory(this);
        }

        @Override
        protected JsonParser _createParser(ObjectReadContext context, IOContext io, InputStream in) {
            return new Checking(super._createParser(context, io, in));
        }

        @Override
        protected JsonParser _createParser(ObjectReadContext context, IOContext io, Reader reader) {
            return new Checking(super._createParser(context, io, reader));
        }

        @Override
        protected JsonParser _createParser(ObjectReadContext context, IOContext io, char[] data, int offset, int length,
                boolean recyclable) {
            return new Checking(super._createParser(context, io, data, offset, length, recyclable));
        }

        @Override
        protected JsonParser _createParser(ObjectReadContext context, IOContext io, byte[] data, int offset,
                int length) {
            return new Checking(super._createParser(context, io, data, offset, length));
        }

        @Override
        protected JsonParser _createParser(ObjectReadContext context, IOContext io, DataInput input) {
            return new Checking(super._createParser(context, io, input));
        }

    }

    /** Looks at each token as it is read, before any deserializer sees it. */
    private static final class Checking extends JsonParserDelegate {

        Checking(JsonParser parser) {
            super(parser);
        }

        @Override
        public JsonToken nextToken() throws JacksonException {
            return check(delegate.nextToken());
        }

        @Override
        public JsonToken nextValue() throws JacksonException {
            return check(delegate.nextValue());
        }

        @Override
        public String nextName() throws JacksonException {
            String name = delegate.nextName();
            check(delegate.currentToken());
            return name;
        }

        @Override
        public boolean nextName(SerializableString expected) throws JacksonException {
            boolean matched = delegate.nextName(expected);
            check(delegate.currentToken());
            return matched;
        }

        @Override
        public int nextNameMatch(PropertyNameMatcher matcher) throws JacksonException {
            int match = delegate.nextNameMatch(matcher);
            check(delegate.currentToken());
            return match;
        }

        private JsonToken check(JsonToken token) {
            if (token == null) {
                return null;
            }
            switch (token) {
                case PROPERTY_NAME -> text(delegate.currentName());
                case VALUE_STRING -> text(delegate.getString());
                case VALUE_NUMBER_INT -> {
                    // An int or a long is always in range; only a longer integer needs a
                    // look.
                    if (delegate.getNumberType() == NumberType.BIG_INTEGER) {
                        number();
                    }
                }
                case VALUE_NUMBER_FLOAT -> number();
                default -> {
                }
            }
            return token;
        }

        private void text(String text) {
            String defect = CleanText.defect(text);
            if (defect != null) {
                throw new InvalidInput(this, path(), defect);
            }
        }

        private void number() {
            BigDecimal value;
            try {
                value = delegate.getDecimalValue();
            }
            catch (NumberFormatException ex) {
                // An exponent past what BigDecimal holds (1e2147483648).
                throw new InvalidInput(this, path(), Decimals.OUT_OF_RANGE);
            }
            if (!Decimals.inRange(value)) {
                throw new InvalidInput(this, path(), Decimals.OUT_OF_RANGE);
            }
        }

        private String path() {
            return pathOf(delegate);
        }

    }

}
