package io.github.ipcatlas.sysv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysvKeyTest {
    @TempDir
    Path dir;

    @Test
    void shouldParseKeysAsIpcsPrintsThemAndAsDecimals() {
        assertThat(SysvKey.parse("0x0000162e").value()).isEqualTo(0x162e);
        assertThat(SysvKey.parse("0XDEADBEEF").value()).isEqualTo(0xDEADBEEF);
        assertThat(SysvKey.parse("5678").value()).isEqualTo(5678);
        assertThat(SysvKey.parse("4294967295").value()).isEqualTo(-1);
        assertThat(SysvKey.parse("-2").value()).isEqualTo(-2);
        assertThat(SysvKey.parse("0")).isSameAs(SysvKey.PRIVATE);
        assertThat(SysvKey.of(0x162e)).hasToString("0x0000162e").isEqualTo(SysvKey.parse("5678"));
        assertThat(SysvKey.PRIVATE).hasToString("IPC_PRIVATE");
    }

    @Test
    void shouldRefuseTextThatIsNotAThirtyTwoBitNumber() {
        for (String bad : new String[] {"", "0x", "0x123456789", "4294967296", "-2147483649", "12ab", "key", "0x+1",
                "0x-1", "+5", "\u0661\u0662\u0663", "0x\uff11"}) {
            assertThatThrownBy(() -> SysvKey.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + bad + "\"");
        }
    }

    @Test
    void shouldDeriveTheSameKeyFromTheSameFileAndProjectAndAnotherFromAnotherProject() throws IOException {
        Path file = Files.writeString(dir.resolve("anchor"), "");
        assertThat(SysvKey.ftok(file, 1)).isEqualTo(SysvKey.ftok(file, 1));
        assertThat(SysvKey.ftok(file, 2)).isNotEqualTo(SysvKey.ftok(file, 1));
        assertThat(SysvKey.ftok(file, 2).value() >>> 24).as("the project id is the key's top byte").isEqualTo(2);
    }

    @Test
    void shouldRefuseAMissingFileAndABadProjectId() {
        assertThatThrownBy(() -> SysvKey.ftok(dir.resolve("missing"), 1)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("ftok(").hasMessageContaining("ENOENT");
        assertThatThrownBy(() -> SysvKey.ftok(dir, 0)).hasMessageContaining("project id 0");
        assertThatThrownBy(() -> SysvKey.ftok(dir, 256)).hasMessageContaining("project id 256");
    }
}
