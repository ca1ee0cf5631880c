package dev.kapi.identity.importing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lines of a stream, read as they come and never more than {@code maxBytes} of one held:
 * a longer line is skipped to its end and reported as too long.
 */
final class BoundedLines {

    private final InputStream in;

    private final int maxBytes;

    private boolean ended;

    BoundedLines(InputStream in, int maxBytes) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.maxBytes = maxBytes;
    }

    /** A line's text (UTF-8, no line end), or that it was too long. */
    record Line(String text, boolean tooLong) {
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        if (ended) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        boolean tooLong = false;
        int read;
        boolean any = false;
        while ((read = in.read()) != -1) {
            any = true;
            if (read == '\n') {
                return line(bytes, tooLong);
            }
            if (bytes.size() < maxBytes) {
                bytes.write(read);
            }
            else {
                tooLong = true;
            }
        }
        ended = true;
        return any ? line(bytes, tooLong) : null;
    }

    private static Line line(ByteArrayOutputStream bytes, boolean tooLong) {
        if (tooLong) {
            return new Line(null, true);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return new Line(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text, false);
    }

}
