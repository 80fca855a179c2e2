package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpcNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"/a", "/orders", "/with space", "/ünïcode", "/x.y-z_1"})
    void shouldAcceptValidNames(String name) {
        assertThat(IpcNames.validate(name)).isEqualTo(name);
    }

    @Test
    void shouldAcceptExactly255BytesAfterTheSlash() {
        String name = "/" + "a".repeat(255);
        assertThat(IpcNames.validate(name)).isEqualTo(name);
    }

    @Test
    void shouldRefuseBadNamesNamingTheValue() {
        assertThatThrownBy(() -> IpcNames.validate("orders")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"orders\"").hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> IpcNames.validate("/")).hasMessageContaining("at least one character");
        assertThatThrownBy(() -> IpcNames.validate("/a/b")).hasMessageContaining("\"/a/b\"")
                .hasMessageContaining("'/' only at the start");
        assertThatThrownBy(() -> IpcNames.validate("/a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> IpcNames.validate(null)).hasMessageContaining("null");
        assertThatThrownBy(() -> IpcNames.validate("/.")).hasMessageContaining("\"/.\" names a directory entry");
        assertThatThrownBy(() -> IpcNames.validate("/..")).hasMessageContaining("\"/..\" names a directory entry");
        assertThat(IpcNames.validate("/...")).as("only the two entries every directory has").isEqualTo("/...");
    }

    @Test
    void shouldCountBytesNotCharacters() {
        String twoBytesEach = "/" + "é".repeat(128); // 256 bytes
        assertThatThrownBy(() -> IpcNames.validate(twoBytesEach)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 bytes").hasMessageContaining("255");
        assertThatThrownBy(() -> IpcNames.validate("/" + "a".repeat(256))).hasMessageContaining("256 bytes");
    }

    @Test
    void shouldMakeValidDistinctUniqueNamesThatNameTheProcess() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String name = IpcNames.unique("t-mq");
            assertThat(IpcNames.validate(name)).startsWith("/t-mq-" + ProcessHandle.current().pid() + "-");
            names.add(name);
        }
        assertThat(names).hasSize(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "sp ace", "nul\0"})
    void shouldRefuseBadPrefixes(String prefix) {
        assertThatThrownBy(() -> IpcNames.unique(prefix)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix");
    }
}
