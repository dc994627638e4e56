package dev.gmpsim.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Checks that a cluster address can be listened on, before an ActorSystem tries and fails with a trace. */
final class Listen {
  private Listen() {}

  /** {@code port} 0 means any free port. */
  static void check(String option, String host, int port) throws UserError {
    if (port < 0 || port > 65535) {
      throw new UserError(option + ": " + port + " is not a port (0-65535)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new UserError("--host: cannot resolve '" + host + "'");
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(address, port));
    } catch (BindException e) {
      if (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("in use")) {
        throw new UserError(option + ": port " + port + " is already in use on " + host
            + " (another node running there?)");
      }
      throw new UserError("--host: cannot listen on " + host + ":" + port + " (" + e.getMessage()
          + "); give an address of this machine");
    } catch (IOException | SecurityException e) {
      throw new UserError("--host: cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")");
    }
  }

  /** A bind that failed anyway (another process took the port since the check), as one line. */
  static UserError bindFailed(Throwable t, String host, int port) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException || String.valueOf(c.getMessage()).contains("Address already in use")) {
        return new UserError("cannot listen on " + host + ":" + port + ": " + c.getMessage());
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
