package io.zonesync.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a certificate is for a name, as OpenSSL's X509_check_host / X509_check_ip: an IP address
 * matches an iPAddress entry; a host name matches a dNSName entry, case-insensitively, with a
 * {@code *} allowed as the whole left-most label; the subject's common name counts only when the
 * certificate has no dNSName at all.
 */
final class HostnameMatch {
    private static final int DNS = 2;
    private static final int IP = 7;

    private HostnameMatch() {
    }

    static boolean matches(X509Certificate cert, String name) {
        boolean ip = isIpLiteral(name);
        List<String> dns = new ArrayList<>();
        for (List<?> san : sans(cert)) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (type == IP && ip && sameAddress(value, name)) {
                return true;
            }
            if (type == DNS) {
                dns.add(value);
                if (!ip && dnsMatches(value, name)) {
                    return true;
                }
            }
        }
        if (!ip && dns.isEmpty()) {
            String cn = commonName(cert);
            return cn != null && dnsMatches(cn, name);
        }
        return false;
    }

    /** The names a certificate is for, for error messages. */
    static String names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        for (List<?> san : sans(cert)) {
            out.add(String.valueOf(san.get(1)));
        }
        if (out.isEmpty()) {
            String cn = commonName(cert);
            return cn == null ? "none" : "CN=" + cn;
        }
        return String.join(", ", out);
    }

    private static Collection<List<?>> sans(X509Certificate cert) {
        try {
            Collection<List<?>> s = cert.getSubjectAlternativeNames();
            return s == null ? List.of() : s;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.matches("[0-9.]+");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean dnsMatches(String pattern, String name) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String n = name.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (!p.startsWith("*.")) {
            return p.equals(n);
        }
        int dot = n.indexOf('.');
        return dot > 0 && p.substring(1).equals(n.substring(dot)) && p.indexOf('.', 2) > 0;
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
