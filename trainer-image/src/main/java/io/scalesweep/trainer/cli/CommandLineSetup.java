package io.scalesweep.trainer.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.trainer.train.Interruption;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/**
 * Turns invalid input into a one-line message and exit code 2 instead of a stack trace: a user
 * who misspelt a field needs the field's name, not the parser's internals. Every command runs as
 * {@link Interruption} work, so that Ctrl-C or SIGTERM stops it between steps rather than
 * crashing libtorch mid-call.
 */
@ApplicationScoped
public class CommandLineSetup {

  public static final int EXIT_INVALID_INPUT = 2;
  /** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
  public static final int EXIT_INTERRUPTED = 130;

  @Produces
  CommandLine commandLine(PicocliCommandLineFactory factory) {
    return factory
        .create()
        .setExecutionStrategy(CommandLineSetup::executeAsWork)
        .setExecutionExceptionHandler(
            (ex, cmd, parseResult) -> {
              if (ex instanceof InvalidSpecException) {
                cmd.getErr().println("scalesweep: " + ex.getMessage());
                return EXIT_INVALID_INPUT;
              }
              throw ex;
            });
  }

  private static int executeAsWork(CommandLine.ParseResult parseResult) {
    try (Interruption.Work work = Interruption.enter()) {
      try {
        return new CommandLine.RunLast().execute(parseResult);
      } catch (CommandLine.ExecutionException e) {
        if (!(e.getCause() instanceof Interruption.Interrupted)) {
          throw e;
        }
        // said while the exit still waits for this work, or the JVM may halt first
        parseResult.commandSpec().commandLine().getErr()
            .println("scalesweep: " + e.getCause().getMessage());
        return EXIT_INTERRUPTED;
      }
    }
  }
}
