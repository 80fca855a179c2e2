package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void shouldNameCallObjectAndErrnoSymbolInTheMessage() {
        IOException e = Errors.of("mq_open", "/orders", Errors.EINVAL);

        assertThat(e).isInstanceOf(ErrnoException.class)
                .hasMessage("mq_open(/orders) failed: EINVAL (Invalid argument)");
        ErrnoException errno = (ErrnoException) e;
        assertThat(errno.call()).isEqualTo("mq_open");
        assertThat(errno.object()).isEqualTo("/orders");
        assertThat(errno.errno()).isEqualTo(22);
        assertThat(errno.errnoName()).isEqualTo("EINVAL");
    }

    @Test
    void shouldMapEnoentEexistAndEaccesToTheJdkTypes() {
        IOException missing = Errors.of("mkfifo", "/no/such/dir/f", Errors.ENOENT);
        IOException exists = Errors.of("mq_open", "/orders", Errors.EEXIST);
        IOException denied = Errors.of("open", "/root/x", Errors.EACCES);
        IOException notPermitted = Errors.of("kill", "1", Errors.EPERM);

        assertThat(missing).isInstanceOf(NoSuchFileException.class)
                .hasMessage("mkfifo(/no/such/dir/f) failed: ENOENT (No such file or directory)");
        assertThat(((NoSuchFileException) missing).getFile()).isEqualTo("/no/such/dir/f");
        assertThat(exists).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessage("mq_open(/orders) failed: EEXIST (File exists)");
        assertThat(denied).isInstanceOf(AccessDeniedException.class).hasMessageContaining("EACCES");
        assertThat(notPermitted).isInstanceOf(AccessDeniedException.class).hasMessageContaining("EPERM");
    }

    @Test
    void shouldKeepTheErrnoReachableFromJdkTypes() {
        assertThat(Errors.errnoOf(Errors.of("mq_open", "/orders", Errors.EEXIST))).isEqualTo(Errors.EEXIST);
        assertThat(Errors.errnoOf(Errors.of("mq_open", "/orders", Errors.EINVAL))).isEqualTo(Errors.EINVAL);
        assertThat(Errors.errnoOf(new IOException("plain"))).isEqualTo(-1);
    }

    @Test
    void shouldAppendAHint() {
        IOException e = Errors.of("mq_open", "/big", Errors.EMFILE, "RLIMIT_MSGQUEUE is 819200 bytes; raise it");

        assertThat(e).hasMessage("mq_open(/big) failed: EMFILE (Too many open files); "
                + "RLIMIT_MSGQUEUE is 819200 bytes; raise it");
    }

    @Test
    void shouldDescribeAnUnknownErrno() {
        assertThat(Errors.of("ioctl", "fd 7", 4000)).hasMessage("ioctl(fd 7) failed: errno 4000 (unknown error)");
    }
}
