package io.zonesync.zone;

/**
 * What kind of zone a replicated zone is, as exchanged in the handshake: a readable name, a tag
 * that identifies the record format on the wire, and the version of that format. Two nodes
 * replicate a zone only when name, tag and version agree.
 */
public record ZoneType(String name, int tag, int codecVersion) {
}
