package dev.speck.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingNamesTest {

    @Test
    void aMistypedSettingIsAnsweredWithTheNearestNamesNotTheWholeList() {
        assertThatThrownBy(() -> new ConfigLoader().set("http.prot", "9000"))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("did you mean http.port")
                .hasMessageNotContaining("journal.max-size");
    }

    @Test
    void aSettingNamedByItsLastPartAloneIsFoundUnderItsSection() {
        assertThat(SettingNames.unknown("memory-limit", ConfigLoader.DEFAULTS.keySet()))
                .contains("store.memory-limit");
    }

    @Test
    void nothingCloseNamesWhereEverySettingIsListed() {
        assertThat(SettingNames.unknown("completely.different.thing", ConfigLoader.DEFAULTS.keySet()))
                .isEqualTo("no such setting; every setting is listed in docs/CONFIGURATION.md");
    }

    @Test
    void suggestionsComeNearestFirstAndInTheSameOrderEveryTime() {
        String first = SettingNames.unknown("store.thread", ConfigLoader.DEFAULTS.keySet());
        assertThat(first).startsWith("no such setting; did you mean store.threads");
        assertThat(SettingNames.unknown("store.thread", ConfigLoader.DEFAULTS.keySet())).isEqualTo(first);
    }
}
