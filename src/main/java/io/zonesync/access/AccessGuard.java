package io.zonesync.access;

import io.zonesync.config.FileSnapshots;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import java.nio.file.Path;

/**
 * The rules one request meets: allow/deny, then basic authentication when a realm and a user file
 * are set. Both may hold variables: the realm is the request's ({@code off} turns authentication
 * off for it, as in nginx), the file is looked up per request in {@link FileSnapshots}.
 */
final class AccessGuard {
    final AccessRules rules;
    private final ComplexValue realm;
    private final ComplexValue userFile;
    private final Path confDir;
    final FileSnapshots<Htpasswd> files;

    AccessGuard(AccessRules rules, ComplexValue realm, ComplexValue userFile, Path confDir, FileSnapshots<Htpasswd> files) {
        this.rules = rules;
        this.realm = realm;
        this.userFile = userFile;
        this.confDir = confDir;
        this.files = files;
    }

    static AccessGuard rulesOnly(AccessRules rules) {
        return new AccessGuard(rules, null, null, null, null);
    }

    boolean isOpen() {
        return rules.isEmpty() && realm == null;
    }

    /** The request's realm, or null when it is not asked to authenticate. */
    String realm(RequestView request) {
        if (realm == null) {
            return null;
        }
        String r = realm.evaluate(request);
        return r == null ? "" : r.equals("off") ? null : r;
    }

    /** The request's user file, relative names against the configuration's directory. */
    Path userFile(RequestView request) {
        String f = userFile.evaluate(request);
        return confDir.resolve(f == null ? "" : f).normalize();
    }
}
