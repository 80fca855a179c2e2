package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/**
 * A report as JSON, through Jackson's streaming generator (which escapes what must be escaped):
 * {@code {"environment": {...}, "latency": [...], "throughput": [...], "rate": [...]}}. Each result is an object whose keys are its
 * record's components ({@code p50Nanos}, {@code nativeBaseline}, ...), so a new field appears here without a change;
 * decimals are written with two places, as in the CSV, and a ratio without a baseline (NaN) as {@code null}.
 */
final class JsonReport {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Indented, {@code "key": value}, empty arrays as {@code []}: what the report looked like before Jackson wrote it. */
    private static final DefaultPrettyPrinter LAYOUT = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withArrayEmptySeparator("")
            .withObjectEmptySeparator(""));

    private JsonReport() {
    }

    static String render(Report report) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out).setPrettyPrinter(LAYOUT)) {
            json.writeStartObject();
            json.writeObjectFieldStart("environment");
            for (Map.Entry<String, String> fact : report.environment().facts().entrySet()) {
                json.writeStringField(fact.getKey(), fact.getValue());
            }
            json.writeEndObject();
            writeArray(json, "latency", report.latency());
            writeArray(json, "throughput", report.throughput());
            writeArray(json, "rate", report.rate());
            json.writeEndObject();
        } catch (IOException e) { // a StringWriter does not fail
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    private static void writeArray(JsonGenerator json, String name, List<? extends Record> records) throws IOException {
        json.writeArrayFieldStart(name);
        for (Record record : records) {
            writeRecord(json, record);
        }
        json.writeEndArray();
    }

    private static void writeRecord(JsonGenerator json, Record record) throws IOException {
        json.writeStartObject();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            json.writeFieldName(component.getName());
            writeValue(json, value(component, record));
        }
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null || value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            json.writeNull();
        } else if (value instanceof Record nested) {
            writeRecord(json, nested);
        } else if (value instanceof Double d) {
            json.writeNumber(String.format(Locale.ROOT, "%.2f", d));
        } else if (value instanceof Number number) {
            json.writeNumber(number.longValue());
        } else {
            json.writeString(String.valueOf(value));
        }
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) { // the accessors of a public record are public
            throw new IllegalStateException(e);
        }
    }
}
