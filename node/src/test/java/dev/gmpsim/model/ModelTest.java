package dev.gmpsim.model;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the model's message-level tests: one ActorTestKit per test class, created before its
 * tests and shut down after them (Akka 2.8 ships JUnit 4 helpers only).
 */
abstract class ModelTest {
  static ActorTestKit kit;

  @BeforeAll
  static void startKit() {
    kit = ActorTestKit.create();
  }

  @AfterAll
  static void stopKit() {
    kit.shutdownTestKit();
  }
}
