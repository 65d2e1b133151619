package dev.speck.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeHeapTrimTest {

    @Test
    void onLinuxTheJvmTrimsItsCHeapAndSaysWhatItGaveBack() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "malloc_trim is glibc's");

        assertThat(NativeHeapTrim.run()).hasValueSatisfying(account -> assertThat(account).contains("RSS"));
    }
}
