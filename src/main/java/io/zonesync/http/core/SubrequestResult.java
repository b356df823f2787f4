package io.zonesync.http.core;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * How a subrequest was answered: its status and response headers as its location's handler gave
 * them (before any {@code add_header}, which applies to the client's response only), and the
 * subrequest itself, in whose context variables ({@code $upstream_http_*}) can be read.
 */
public record SubrequestResult(int status, HttpHeaders headers, HttpExchange exchange) {
}
