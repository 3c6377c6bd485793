package dev.clearance.app.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/** The whole application with a fake chat platform that records what each person was sent. */
@Import(RecordingPlatformConfig.class)
public abstract class AppTestBase extends TimedAppTest {
    @Autowired
    protected RecordingChatPlatform chat;

    @BeforeEach
    void resetPlatform() {
        chat.reset();
    }
}
