package io.zonesync.config;

/** One file that was read while parsing (the main file and every include), for {@code -T}. */
public record ConfigSource(String path, String text) {
}
