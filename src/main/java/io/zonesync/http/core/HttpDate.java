package io.zonesync.http.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * HTTP dates: {@code Sun, 06 Nov 1994 08:49:37 GMT}. The Date header of every response uses
 * {@link #ofSecond}, formatted once a second per thread (nginx likewise keeps its time strings
 * cached); formatting it per response was a noticeable part of a proxied request.
 */
public final class HttpDate {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final ThreadLocal<LastSecond> LAST = ThreadLocal.withInitial(LastSecond::new);

    private static final class LastSecond {
        long second = Long.MIN_VALUE;
        String text;
    }

    private HttpDate() {
    }

    public static String format(long millis) {
        return FORMAT.format(Instant.ofEpochMilli(millis));
    }

    /** The time of an HTTP date in epoch milliseconds, null when it is not one. */
    public static Long parse(String text) {
        try {
            return ZonedDateTime.parse(text.trim(), FORMAT).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The same as {@link #format}, reusing the text while the second is the same as last time on this thread. */
    static String ofSecond(long millis) {
        long second = Math.floorDiv(millis, 1000);
        LastSecond last = LAST.get();
        if (last.second != second) {
            last.text = format(second * 1000);
            last.second = second;
        }
        return last.text;
    }
}
