/**
 * The NGINX Plus API as a pure function: {@link io.zonesync.http.api.ApiHandler} maps an
 * {@link io.zonesync.http.api.ApiRequest} to an {@link io.zonesync.http.api.ApiResponse} over the
 * node's {@link io.zonesync.http.api.ApiState}; it knows no sockets.
 *
 * <p>The API is described by {@code doc/api/openapi.yaml}, which the build packages here and the
 * API serves at {@code /openapi.yaml}; the tests validate every answer against it.
 *
 * <p>Choices where the reference leaves room: text that is not JSON is 415 {@code JsonError}, JSON
 * of the wrong shape is 400 {@code KeyvalFormatError}; a number value is stored as its text (as
 * observed on NGINX Plus), a boolean is refused; {@code /} lists the versions as numbers (as NGINX
 * Plus does, and as its Go client reads them); {@code /N/} lists only the endpoints served
 * (nginx, http, stream); version 1-3 errors carry empty {@code path} and {@code method}.
 */
package io.zonesync.http.api;
