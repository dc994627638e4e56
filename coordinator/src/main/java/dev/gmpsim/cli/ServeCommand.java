package dev.gmpsim.cli;

import dev.gmpsim.report.ReportServer;
import dev.gmpsim.report.SweepResults;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** gmpsim serve: the report of a sweep folder over HTTP, filling in while the sweep runs. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the report page of the sweep in DIR, and DIR's files, over HTTP until Ctrl-C.",
      "While the sweep is running the page adds its new results every 2 seconds."
    })
final class ServeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The sweep's --out folder.")
  Path dir;

  @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port = 8765;

  @Option(names = "--bind", paramLabel = "ADDR",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0: every interface).")
  String bind = "127.0.0.1";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new UserError("--port: " + port + " is not a port (0..65535, 0 for any free port)");
    }
    InetAddress addr;
    try {
      addr = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new UserError("--bind: cannot resolve '" + bind + "'");
    }
    ReportServer server;
    try {
      server = ReportServer.start(dir, addr.getHostAddress(), port);
    } catch (SweepResults.NotResults e) {
      throw new UserError(e.getMessage());
    } catch (IOException e) {
      throw new UserError("--bind/--port: cannot listen on " + bind + ":" + port + " (" + e.getMessage() + ")");
    }
    PrintWriter o = spec.commandLine().getOut();
    o.println("serving the report of " + dir + " at " + server.url());
    o.println(addr.isAnyLocalAddress()
        ? "listening on " + server.address().getAddress().getHostAddress() + ":" + server.address().getPort()
            + ": every interface, other machines can connect; Ctrl-C stops"
        : "listening on " + server.address().getAddress().getHostAddress() + ":" + server.address().getPort()
            + (addr.isLoopbackAddress() ? " only (this machine; --bind 0.0.0.0 to let others connect)" : "")
            + "; Ctrl-C stops");
    o.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    // Ctrl-C or SIGTERM: stop taking requests, then let the JVM exit.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "gmpsim-serve-stop"));
    stopped.await();
    return ExitCodes.OK;
  }
}
