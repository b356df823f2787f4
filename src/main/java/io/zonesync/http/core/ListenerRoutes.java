package io.zonesync.http.core;

/**
 * What one listening socket serves now: the configuration and its endpoint for the socket. The
 * runtime replaces it atomically on reload; a request keeps the one it started with.
 */
record ListenerRoutes(HttpConfig config, ListenEndpoint endpoint) {
}
