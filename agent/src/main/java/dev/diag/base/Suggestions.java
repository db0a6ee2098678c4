package dev.diag.base;

import java.util.Collection;

/** "Did you mean": the known word closest to a mistyped one, for option errors. */
public final class Suggestions {
    private Suggestions() {}

    /**
     * Returns the candidate nearest to {@code typed} by edit distance (insertions, deletions, substitutions and
     * swaps of two neighbours), when it is near enough to be a typo (at most a third of the word, at least one edit,
     * fewer than the word's letters),
     * or the only candidate that starts with {@code typed}; otherwise null.
     */
    public static String closest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(typed, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        // A one-letter word one edit from another is no typo of it ("2" is not "0").
        if (best != null && bestDistance < typed.length()
                && bestDistance <= Math.max(1, Math.min(typed.length(), best.length()) / 3)) {
            return best;
        }
        String prefixed = null;
        for (String c : candidates) {
            if (!typed.isEmpty() && c.startsWith(typed)) {
                if (prefixed != null) return null; // two fit: guessing would mislead
                prefixed = c;
            }
        }
        return prefixed;
    }

    /** Optimal string alignment distance: Levenshtein plus the swap of two neighbouring characters. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
