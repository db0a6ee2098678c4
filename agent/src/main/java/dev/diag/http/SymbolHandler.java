package dev.diag.http;

import dev.diag.pprof.AddressTable;
import dev.diag.stack.Frame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves {@code /symbol} as Go's {@code pprof.Symbol}: {@code num_symbols: 1}, then {@code 0xPC name} for each known
 * address in the POST body (any other method: the raw query), words split on {@code +}. Unknown, zero or malformed
 * words are skipped silently. An address resolves to the nearest frame address (they are 16 apart), so the
 * return-address-minus-one that pprof asks for legacy profiles finds its frame.
 */
final class SymbolHandler implements Endpoint {
    @Override
    public void serve(PprofExchange ex) throws IOException {
        String input = ex.method().equals("POST") ? new String(ex.body(), StandardCharsets.ISO_8859_1) : ex.rawQuery();
        StringBuilder sb = new StringBuilder("num_symbols: 1\n");
        for (String word : input.split("\\+", -1)) {
            long pc = GoStrconv.parseUintBase0(word);
            if (pc == 0) continue;
            Frame f = lookup(pc);
            if (f != null) sb.append("0x").append(Long.toHexString(pc)).append(' ').append(f.functionName()).append('\n');
        }
        ex.send(200, GoPprof.TEXT_PLAIN, null, sb.toString());
    }

    static Frame lookup(long pc) {
        if (Long.compareUnsigned(pc, AddressTable.BASE) < 0 || Long.compareUnsigned(pc, AddressTable.LIMIT) >= 0) {
            return null;
        }
        return AddressTable.frameAt((pc + 8) & ~15L);
    }
}
