package dev.diag.http;

import dev.diag.heapdump.HeapDumper;

import java.io.IOException;

/**
 * Serves {@code /heapdump} (diag's): an HPROF heap dump of the JVM now, streamed from a private temporary file that is
 * deleted once sent. {@code live=0} keeps unreachable objects too (no collection first); the default is live objects
 * only. The endpoint's access rules apply as to every path: loopback only, or a bearer token for any other bind, which
 * matters more here than anywhere, since a dump holds every secret in the heap.
 */
final class HeapDumpHandler implements Endpoint {
    static final String NAME = "heapdump";

    @Override
    public void serve(PprofExchange ex) throws IOException {
        boolean live = !"0".equals(ex.formValue("live"));
        HeapDumper.Dump dump;
        try {
            dump = HeapDumper.write(live);
        } catch (IOException e) {
            ex.serveError(500, "Could not write a heap dump: " + e.getMessage());
            return;
        }
        if (dump == null) {
            ex.serveError(503, "Could not write a heap dump: another one is being written");
            return;
        }
        try (dump) {
            ex.sendFile(200, GoPprof.OCTET_STREAM, "attachment; filename=\"heapdump.hprof\"", dump.file());
        }
    }
}
