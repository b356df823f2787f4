package io.zonesync.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code -----BEGIN TYPE-----} ... {@code -----END TYPE-----} block of a PEM file: its type,
 * its RFC 1421 headers (legacy encrypted keys carry {@code Proc-Type} and {@code DEK-Info}) and the
 * decoded bytes. Text around and between blocks is ignored, as OpenSSL does.
 */
record PemBlock(String type, Map<String, String> headers, byte[] der) {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    /** Every block of the text, in order; a block whose body is not base64 is an error naming its type. */
    static List<PemBlock> parseAll(byte[] file) throws IllegalArgumentException {
        String text = new String(file, StandardCharsets.US_ASCII);
        List<PemBlock> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder body = new StringBuilder();
            for (String line : m.group(2).split("\\r?\\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && body.length() == 0) {
                    headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                } else {
                    body.append(line.trim());
                }
            }
            try {
                out.add(new PemBlock(m.group(1), Map.copyOf(headers), Base64.getDecoder().decode(body.toString())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the " + m.group(1) + " block is not valid base64", e);
            }
        }
        return out;
    }

    boolean isPrivateKey() {
        return type.endsWith("PRIVATE KEY");
    }
}
