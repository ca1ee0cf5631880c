package dev.kapi.shared;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code as a small SVG document: one path of dark modules on white, with a
 * four-module quiet zone.
 */
public final class QrSvg {

    private static final int BORDER = 4;

    private QrSvg() {
    }

    public static String of(String text) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + BORDER * 2;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append(path.isEmpty() ? "" : " ")
                        .append('M')
                        .append(x + BORDER)
                        .append(',')
                        .append(y + BORDER)
                        .append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + size + " " + size
                + "\" stroke=\"none\"><rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/><path d=\"" + path
                + "\" fill=\"#000000\"/></svg>";
    }

}
