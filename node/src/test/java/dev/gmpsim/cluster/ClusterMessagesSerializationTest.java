package dev.gmpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.protocol.serialization.KryoSerializer;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node module's messages that cross nodes go through the Kryo serializer and back. */
class ClusterMessagesSerializationTest {
  static ActorTestKit kit;

  @BeforeAll
  static void setUp() {
    kit = ActorTestKit.create(
        ConfigFactory.parseString("akka.actor.serialize-messages = on").withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void tearDown() {
    kit.shutdownTestKit();
  }

  @Test
  void executeRoundTripsWithItsScenarioAndReplyAddress() throws Exception {
    Path examples = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
    RunRequest req = new RunRequest("abc123", ScenarioLoader.load(examples.resolve("workload-c-cgo-bounded.yaml")), 7,
        Map.of("semaphores.cgo", "32"), 2);
    TestProbe<RunDone> probe = kit.createTestProbe(RunDone.class);
    TestProbe<RunEntity.Accepted> acks = kit.createTestProbe(RunEntity.Accepted.class);
    RunEntity.Execute msg = new RunEntity.Execute(req, probe.getRef(), acks.getRef(), probe.getRef());

    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    assertTrue(serialization.findSerializerFor(msg) instanceof KryoSerializer);
    byte[] bytes = serialization.serialize(msg).get();
    String manifest = Serializers.manifestFor(serialization.findSerializerFor(msg), msg);
    Object back = serialization.deserialize(bytes, serialization.findSerializerFor(msg).identifier(), manifest).get();
    assertEquals(msg, back);

    // The reply address still works after the trip.
    RunDone done = new RunDone("abc123", null, "timeout", "node", 5, 2);
    ((RunEntity.Execute) back).replyTo().tell(done);
    assertEquals(done, probe.receiveMessage());
    RunEntity.Accepted ack = new RunEntity.Accepted("abc123", "127.0.0.1:25520");
    ((RunEntity.Execute) back).ackTo().tell(ack);
    assertEquals(ack, acks.receiveMessage());
    assertEquals(ack, roundTrip(serialization, ack));
    RunEntity.Execute noAck = new RunEntity.Execute(req, probe.getRef(), null, null);
    assertEquals(noAck, roundTrip(serialization, noAck));
  }

  @Test
  void aKeptRunComesBackWithItsFiles() throws Exception {
    // sweep --keep-runs: the request says so, and the answer carries the whole result.
    Path examples = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
    var scenario = ScenarioLoader.load(examples.resolve("workload-c-cgo-bounded.yaml"));
    RunRequest req = new RunRequest("kept1", scenario, 3, Map.of(), 1).keepingFiles(true);
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    TestProbe<RunDone> probe = kit.createTestProbe(RunDone.class);
    RunEntity.Execute msg = new RunEntity.Execute(req, probe.getRef(), null, null);
    RunEntity.Execute back = (RunEntity.Execute) roundTrip(serialization, msg);
    assertTrue(back.request().keepFiles());
    assertEquals(2, back.request().withAttempt(2).attempt());
    assertTrue(back.request().withAttempt(2).keepFiles(), "a retry keeps its files too");
    var result = dev.gmpsim.run.Simulation.runLocally(scenario.withSeed(3),
        new dev.gmpsim.protocol.result.RunOptions(3, 200_000_000L, 0, false, 0));
    RunDone done = new RunDone("kept1", result.summary(), result.summary().outcome(), "n", 1, 1, result);
    RunDone doneBack = (RunDone) roundTrip(serialization, done);
    assertEquals(result.timeseriesCsv(), doneBack.files().timeseriesCsv());
    assertEquals(result.summary(), doneBack.files().summary());
  }

  private static Object roundTrip(Serialization serialization, Object msg) throws Exception {
    assertTrue(serialization.findSerializerFor(msg) instanceof KryoSerializer);
    byte[] bytes = serialization.serialize(msg).get();
    String manifest = Serializers.manifestFor(serialization.findSerializerFor(msg), msg);
    return serialization.deserialize(bytes, serialization.findSerializerFor(msg).identifier(), manifest).get();
  }
}
