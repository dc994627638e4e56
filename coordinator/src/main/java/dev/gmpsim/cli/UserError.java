package dev.gmpsim.cli;

/** A mistake the user can fix; printed as one line, exit code 2. */
public final class UserError extends Exception {
  public UserError(String message) {
    super(message);
  }
}
