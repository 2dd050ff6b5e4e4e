package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EpochTimerTest {
  @Test
  void durationsTakeMillisecondsSecondsMinutesAndHours() {
    assertEquals(Duration.ofMillis(500), EpochTimer.parse("500ms"));
    assertEquals(Duration.ofSeconds(2), EpochTimer.parse("2s"));
    assertEquals(Duration.ofSeconds(2), EpochTimer.parse("2"));
    assertEquals(Duration.ofSeconds(90), EpochTimer.parse("1.5m"));
    assertEquals(Duration.ofHours(1), EpochTimer.parse("1h"));
    assertEquals(Duration.ofMillis(1), EpochTimer.parse("0.001s"));
  }

  @Test
  void anythingElseIsRefusedInOneSentence() {
    assertEquals("--timeout: \"2 weeks\" is not a duration (e.g. 2s, 500ms, 1m)",
        assertThrows(IllegalArgumentException.class, () -> EpochTimer.parse("2 weeks")).getMessage());
    assertEquals("--timeout must be at least 1ms, got 0.1ms",
        assertThrows(IllegalArgumentException.class, () -> EpochTimer.parse("0.1ms")).getMessage());
  }

  @Test
  void theTimerAdvancesTheEpochOnce() throws InterruptedException {
    AtomicInteger fired = new AtomicInteger();
    EpochTimer.start(fired::incrementAndGet, Duration.ofMillis(1));
    while (fired.get() == 0) {
      Thread.sleep(1);
    }
    Thread.sleep(20);
    assertEquals(1, fired.get());
  }
}
