package dev.kapi.messaging.whatsapp;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.tomcat.util.http.fileupload.FileItemIterator;
import org.apache.tomcat.util.http.fileupload.FileItemStream;
import org.apache.tomcat.util.http.fileupload.FileUpload;
import org.apache.tomcat.util.http.fileupload.FileUploadException;
import org.apache.tomcat.util.http.fileupload.servlet.ServletRequestContext;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.Senders;
import dev.kapi.shared.ApiException;

/**
 * Uploads a file to Meta as WhatsApp media for one of the user's WhatsApp Cloud senders
 * (Meta's {@code POST /{phone-number-id}/media}), streaming the multipart field
 * {@code file} through without keeping it: its declared type must be one WhatsApp takes
 * ({@link MediaTypes}), its first bytes must fit that type, and it may not grow past the
 * type's size (the upload to Meta is cut off there).
 */
@Service
class MediaUploads {

    private final Senders senders;

    private final WhatsAppCloud cloud;

    MediaUploads(Senders senders, WhatsAppCloud cloud) {
        this.senders = senders;
        this.cloud = cloud;
    }

    /** Meta's media id of the uploaded file. */
    String upload(long owner, long senderId, HttpServletRequest request) {
        Sender sender = senders.byId(owner, senderId).orElseThrow(Sender::notFound);
        if (!Sender.WHATSAPP_CLOUD.equals(sender.provider()) || sender.phoneNumberId() == null
                || sender.sealedAccessToken() == null) {
            throw ApiException.conflict("sender-not-whatsapp-cloud");
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.invalidField("file", "media-file-missing");
        }
        FileUpload upload = new FileUpload();
        upload.setFileCountMax(5);
        upload.setPartHeaderSizeMax(2_048);
        upload.setSizeMax(MediaTypes.MAX_BYTES + MediaTypes.MB);
        try {
            FileItemIterator items = upload.getItemIterator(new ServletRequestContext(request));
            while (items.hasNext()) {
                FileItemStream item = items.next();
                if (!item.isFormField() && "file".equals(item.getFieldName())) {
                    return send(sender, item);
                }
            }
        }
        catch (FileUploadException ex) {
            throw ApiException.invalidField("file", "media-file-missing");
        }
        catch (IOException ex) {
            throw ApiException.invalidField("file", "media-file-missing");
        }
        throw ApiException.invalidField("file", "media-file-missing");
    }

    private String send(Sender sender, FileItemStream item) throws IOException {
        String declared = item.getContentType();
        MediaTypes.Kind kind = MediaTypes.of(declared)
            .orElseThrow(() -> ApiException.invalidField("file", "media-type-unsupported"));
        BufferedInputStream in = new BufferedInputStream(item.openStream());
        in.mark(MediaTypes.HEAD);
        byte[] head = in.readNBytes(MediaTypes.HEAD);
        in.reset();
        if (!MediaTypes.looksLike(declared, head)) {
            throw ApiException.invalidField("file", "media-type-mismatch", MediaTypes.plain(declared));
        }
        Capped capped = new Capped(in, kind.maxBytes());
        try {
            return cloud.upload(sender, capped, MediaTypes.plain(declared), filename(item.getName()));
        }
        catch (WhatsAppCloud.UploadFailed ex) {
            if (capped.exceeded) {
                throw ApiException.invalidField("file", "media-too-large", kind.maxBytes() / MediaTypes.MB);
            }
            throw new ApiException(HttpStatus.BAD_GATEWAY, "media-upload-failed", ex.getMessage());
        }
    }

    /** The file's name without a path or control characters, at most 240 characters. */
    static String filename(String given) {
        if (given == null) {
            return "file";
        }
        String name = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1)
            .replaceAll("[\\p{Cntrl}\"]", "")
            .strip();
        return name.isEmpty() ? "file" : name.length() > 240 ? name.substring(0, 240) : name;
    }

    /** A stream that fails once more than {@code max} bytes were read from it. */
    static final class Capped extends FilterInputStream {

        private final long max;

        private long read;

        volatile boolean exceeded;

        Capped(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                exceeded = true;
                throw new IOException("The file is larger than " + max + " bytes");
            }
        }

    }

}
