package io.zonesync.keyval;

/** A live pair as read from a zone. {@code expireAtMs} is wall-clock ms since the epoch, 0 for never. */
public record KeyvalPair(String key, String value, long expireAtMs) {
}
