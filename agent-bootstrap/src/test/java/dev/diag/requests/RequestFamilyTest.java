package dev.diag.requests;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFamilyTest {
    @Test
    void givenRequests_whenFinished_thenCountedInEveryBucketTheyReachAndKeptTenPerBucket() throws Exception {
        RequestFamily f = new RequestFamily("f");
        RequestRecord slow = f.start("slow");
        Thread.sleep(60); // at least 50 ms, the only bound asserted
        slow.finish();
        for (int i = 0; i < 15; i++) {
            RequestRecord r = f.start("r" + i);
            if (i == 3) r.setError();
            r.finish();
        }
        RequestRecord open = f.start("open");

        assertThat(f.count(0)).isEqualTo(16);
        assertThat(f.count(1)).isGreaterThanOrEqualTo(1);
        assertThat(f.count(RequestFamily.ERRORS)).isEqualTo(1);
        assertThat(f.recent(0)).hasSize(RequestFamily.PER_BUCKET).extracting(RequestRecord::title)
                .startsWith("r14").doesNotContain("slow", "r0");
        assertThat(f.recent(1)).extracting(RequestRecord::title).contains("slow");
        assertThat(f.recent(RequestFamily.ERRORS)).extracting(RequestRecord::title).containsExactly("r3");
        assertThat(f.active()).isEqualTo(1);
        assertThat(f.activeRequests()).containsExactly(open);

        open.finish();
        open.finish(); // counted once

        assertThat(f.active()).isZero();
        assertThat(f.activeRequests()).isEmpty();
        assertThat(f.count(0)).isEqualTo(17);
    }
}
