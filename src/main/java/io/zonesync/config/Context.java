package io.zonesync.config;

/** The block a directive stands in, as nginx's NGX_*_CONF flags. */
public enum Context {
    MAIN,
    EVENTS,
    HTTP,
    HTTP_SERVER,
    HTTP_LOCATION,
    HTTP_UPSTREAM,
    HTTP_LIMIT_EXCEPT,
    /** Inside {@code if} in a server or location: nginx's SIF and LIF levels. */
    HTTP_IF,
    STREAM,
    STREAM_SERVER,
    STREAM_UPSTREAM,
    /** A data block such as {@code types {}}: its lines are data, not directives, and are not validated. */
    OPAQUE
}
