package dev.kapi.messaging.contact;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.CleanText;

/**
 * RFC 4180 CSV read one record at a time from a stream: comma separated, fields
 * optionally in double quotes (a quote inside doubled), CRLF or LF. A record longer than
 * {@link #MAX_LINE_LENGTH} characters, or a cell with NUL or an unpaired surrogate, stops
 * the reading with a 400 naming the line.
 */
final class Csv {

    static final int MAX_LINE_LENGTH = 64 * 1024;

    private final Reader in;

    private int line;

    private int pending = -2;

    Csv(Reader in) {
        this.in = in;
    }

    /** The line number of the record {@link #next()} answered last, from 1. */
    int line() {
        return line;
    }

    /** The next record, or null at the end. */
    List<String> next() {
        int c = read();
        if (line == 0 && c == '\uFEFF') {
            c = read();
        }
        if (c < 0) {
            return null;
        }
        line++;
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int length = 0;
        for (; c >= 0; c = read()) {
            if (++length > MAX_LINE_LENGTH) {
                throw ApiException.badRequest("import-line-too-long", line, MAX_LINE_LENGTH);
            }
            if (quoted) {
                if (c == '"') {
                    int after = read();
                    if (after == '"') {
                        cell.append('"');
                    }
                    else {
                        quoted = false;
                        pending = after;
                    }
                }
                else {
                    cell.append((char) c);
                }
            }
            else if (c == '"' && cell.isEmpty()) {
                quoted = true;
            }
            else if (c == ',') {
                cells.add(clean(cell));
                cell.setLength(0);
            }
            else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    int after = read();
                    if (after != '\n') {
                        pending = after;
                    }
                }
                cells.add(clean(cell));
                return cells;
            }
            else {
                cell.append((char) c);
            }
        }
        if (quoted) {
            throw ApiException.badRequest("import-unclosed-quote");
        }
        cells.add(clean(cell));
        return cells;
    }

    private String clean(StringBuilder cell) {
        if (CleanText.defect(cell) != null) {
            throw ApiException.badRequest("import-text-invalid", line);
        }
        return cell.toString();
    }

    private int read() {
        if (pending != -2) {
            int c = pending;
            pending = -2;
            return c;
        }
        try {
            return in.read();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
