package dev.diag.http;

import java.io.IOException;

/** One endpoint of the server, as one {@code net/http/pprof} handler function. */
interface Endpoint {
    /** Answers the request; an answer may also be sent later from another thread (delta profiles). */
    void serve(PprofExchange ex) throws IOException;
}
