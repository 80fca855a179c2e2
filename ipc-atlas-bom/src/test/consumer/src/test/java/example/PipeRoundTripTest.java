package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.ipcatlas.pipes.AnonymousPipe;

/** What a user of one module does first: bytes through a pipe, with nothing but the BOM and that module declared. */
class PipeRoundTripTest {
    @Test
    void shouldCarryBytesThroughAPipeWithOnlyTheBomAndOneModuleDeclared() throws Exception {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            pipe.writeEnd().write(ByteBuffer.wrap("through the BOM".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(64);
            // timed: bytes that never arrive fail the test instead of blocking the build
            assertEquals(15, pipe.readEnd().read(in, Duration.ofSeconds(10)));
            assertEquals("through the BOM", new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
        }
    }
}
