package io.zonesync.http.upstream;

/** How an attempt on a server ended, for failure accounting (nginx's peer free states). */
public enum Outcome {
    /** The server answered and the answer was used (or the client went away). */
    OK,
    /** An error, a timeout, an invalid header or a failing status: counts towards max_fails. */
    FAILED,
    /** A status passed on to the next server that does not count as a failure (403, 404, 429). */
    NEXT
}
