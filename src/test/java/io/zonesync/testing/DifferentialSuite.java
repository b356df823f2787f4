package io.zonesync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame of a differential test class: one {@link Differential} for the class, on the
 * configuration {@link #start} makes, stopped after its last test; {@link #assertSameAnswers}
 * is the comparison every case makes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DifferentialSuite {
    protected Differential servers;

    /** Prepares the files the configuration needs in {@code dir} and starts both servers. */
    protected abstract Differential start(Path dir) throws Exception;

    @BeforeAll
    void startServers(@TempDir Path dir) throws Exception {
        servers = start(dir);
    }

    @AfterAll
    void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    /** zonesync answered {@code what} as nginx did; the message carries nginx's error log. */
    protected void assertSameAnswers(Differential.Pair answers, String what) throws IOException {
        assertThat(answers.zonesync()).as("%s%nnginx's error log:%n%s", what, servers.nginxErrors())
                .isEqualTo(answers.nginx());
    }
}
