package dev.diag.pprof;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code text/tabwriter} as {@code runtime/pprof} configures it ({@code NewWriter(w, 1, 8, 1, '\t', 0)}): cells
 * end at tabs, each column block is as wide as its widest cell plus one, rounded up to a multiple of 8 and padded
 * with tabs. Porting the algorithm (rather than "one tab per cell") makes diag's legacy text line up as Go's does.
 */
final class TabWriter {
    private static final int MIN_WIDTH = 1;
    private static final int TAB_WIDTH = 8;
    private static final int PADDING = 1;

    private final List<String[]> lines = new ArrayList<>();
    private final List<Integer> widths = new ArrayList<>();
    private final StringBuilder out;

    private TabWriter(StringBuilder out) {
        this.out = out;
    }

    /** Returns {@code text} aligned as Go's tabwriter aligns it. */
    static String format(String text) {
        StringBuilder out = new StringBuilder(text.length() + 256);
        TabWriter w = new TabWriter(out);
        for (String line : text.split("\n", -1)) w.lines.add(line.split("\t", -1));
        w.format(0, w.lines.size());
        return out.toString();
    }

    /** Go's Writer.format: finds column blocks recursively; a line's last cell never belongs to a column. */
    private void format(int line0, int line1) {
        int column = widths.size();
        for (int at = line0; at < line1; at++) {
            if (column >= lines.get(at).length - 1) continue;
            writeLines(line0, at);
            line0 = at;
            int width = MIN_WIDTH;
            for (; at < line1; at++) {
                String[] line = lines.get(at);
                if (column >= line.length - 1) break;
                width = Math.max(width, cellWidth(line[column]) + PADDING);
            }
            widths.add(width);
            format(line0, at);
            widths.remove(widths.size() - 1);
            line0 = at;
        }
        writeLines(line0, line1);
    }

    private void writeLines(int line0, int line1) {
        for (int i = line0; i < line1; i++) {
            String[] line = lines.get(i);
            for (int j = 0; j < line.length; j++) {
                out.append(line[j]);
                if (j < widths.size() && j < line.length - 1) pad(cellWidth(line[j]), widths.get(j));
            }
            if (i + 1 < lines.size()) out.append('\n');
        }
    }

    private void pad(int textWidth, int cellWidth) {
        int cell = (cellWidth + TAB_WIDTH - 1) / TAB_WIDTH * TAB_WIDTH;
        int n = cell - textWidth;
        for (int t = (n + TAB_WIDTH - 1) / TAB_WIDTH; t > 0; t--) out.append('\t');
    }

    private static int cellWidth(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
