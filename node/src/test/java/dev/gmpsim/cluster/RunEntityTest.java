package dev.gmpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A run entity on a one-node cluster tells the sender at once which node took the run. */
class RunEntityTest {
  static ActorTestKit kit;

  @BeforeAll
  static void setUp() {
    kit = ActorTestKit.create("gmpsim", NodeConfig.of("127.0.0.1", 0, List.of(), List.of(NodeConfig.WORKER), 1));
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    Worker.start(kit.system());
  }

  @AfterAll
  static void tearDown() {
    kit.shutdownTestKit();
  }

  @Test
  void everyRequestIsAcknowledgedWithTheNodeThenAnswered() throws Exception {
    Path examples = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
    RunRequest req = new RunRequest("entity-test-1",
        ScenarioLoader.load(examples.resolve("workload-c-cgo-bounded.yaml")).withDuration(50_000_000L), 1, Map.of(), 1);
    TestProbe<RunDone> done = kit.createTestProbe(RunDone.class);
    TestProbe<RunEntity.Accepted> acks = kit.createTestProbe(RunEntity.Accepted.class);
    String node = Cluster.get(kit.system()).selfMember().address().hostPort();
    var entity = ClusterSharding.get(kit.system()).entityRefFor(RunEntity.TYPE_KEY, req.runId());

    entity.tell(new RunEntity.Execute(req, done.getRef(), acks.getRef(), null));
    assertEquals(new RunEntity.Accepted(req.runId(), node), acks.receiveMessage(Duration.ofSeconds(20)));
    RunDone first = done.receiveMessage(Duration.ofSeconds(60));
    assertEquals("ok", first.outcome());
    assertNotNull(first.summary());
    assertEquals(MemberStatus.up(), Cluster.get(kit.system()).selfMember().status());

    // Asked again (after a node loss, say): acknowledged again, answered from the kept result.
    entity.tell(new RunEntity.Execute(req, done.getRef(), acks.getRef(), null));
    assertEquals(new RunEntity.Accepted(req.runId(), node), acks.receiveMessage(Duration.ofSeconds(20)));
    assertEquals(first, done.receiveMessage(Duration.ofSeconds(20)));
  }
}
