package io.zonesync.http.ssi;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.TimeZone;

/**
 * C's {@code strftime} in the C locale, for {@code $date_local} and {@code $date_gmt} with
 * {@code <!--# config timefmt -->}: the common conversions ({@code %a %A %b %B %c %C %d %D %e %F
 * %H %I %j %k %l %m %M %n %p %r %R %s %S %t %T %u %w %x %X %y %Y %z %Z %%}); any other is written as
 * it stands. Stateless.
 */
final class Strftime {
    /** SSI's default format. */
    static final String DEFAULT = "%A, %d-%b-%Y %H:%M:%S %Z";

    private Strftime() {
    }

    static String format(String format, long epochMillis, boolean gmt) {
        ZoneId zone = gmt ? ZoneId.of("GMT") : ZoneId.systemDefault();
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                b.append(c);
                continue;
            }
            char f = format.charAt(++i);
            switch (f) {
                case 'a' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'A' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
                case 'b', 'h' -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'B' -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
                case 'c' -> b.append(format("%a %b %e %H:%M:%S %Y", epochMillis, gmt));
                case 'C' -> two(b, t.getYear() / 100);
                case 'd' -> two(b, t.getDayOfMonth());
                case 'D', 'x' -> b.append(format("%m/%d/%y", epochMillis, gmt));
                case 'e' -> padded(b, t.getDayOfMonth());
                case 'F' -> b.append(format("%Y-%m-%d", epochMillis, gmt));
                case 'H' -> two(b, t.getHour());
                case 'I' -> two(b, hour12(t.getHour()));
                case 'j' -> b.append(String.format("%03d", t.getDayOfYear()));
                case 'k' -> padded(b, t.getHour());
                case 'l' -> padded(b, hour12(t.getHour()));
                case 'm' -> two(b, t.getMonthValue());
                case 'M' -> two(b, t.getMinute());
                case 'n' -> b.append('\n');
                case 'p' -> b.append(t.getHour() < 12 ? "AM" : "PM");
                case 'r' -> b.append(format("%I:%M:%S %p", epochMillis, gmt));
                case 'R' -> b.append(format("%H:%M", epochMillis, gmt));
                case 's' -> b.append(Math.floorDiv(epochMillis, 1000));
                case 'S' -> two(b, t.getSecond());
                case 't' -> b.append('\t');
                case 'T', 'X' -> b.append(format("%H:%M:%S", epochMillis, gmt));
                case 'u' -> b.append(t.getDayOfWeek().getValue());
                case 'w' -> b.append(t.getDayOfWeek().getValue() % 7);
                case 'y' -> two(b, t.getYear() % 100);
                case 'Y' -> b.append(t.getYear());
                case 'z' -> b.append(t.getOffset().getId().equals("Z") ? "+0000"
                        : t.getOffset().getId().replace(":", ""));
                case 'Z' -> b.append(gmt ? "GMT" : TimeZone.getTimeZone(zone).getDisplayName(
                        zone.getRules().isDaylightSavings(t.toInstant()), TimeZone.SHORT, Locale.US));
                case '%' -> b.append('%');
                default -> b.append('%').append(f);
            }
        }
        return b.toString();
    }

    private static int hour12(int hour) {
        int h = hour % 12;
        return h == 0 ? 12 : h;
    }

    private static void two(StringBuilder b, int n) {
        if (n < 10) {
            b.append('0');
        }
        b.append(n);
    }

    private static void padded(StringBuilder b, int n) {
        if (n < 10) {
            b.append(' ');
        }
        b.append(n);
    }
}
