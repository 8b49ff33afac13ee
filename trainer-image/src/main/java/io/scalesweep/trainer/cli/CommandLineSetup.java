package io.scalesweep.trainer.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import io.scalesweep.api.InvalidSpecException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/**
 * Turns invalid input into a one-line message and exit code 2 instead of a stack trace: a user
 * who misspelt a field needs the field's name, not the parser's internals.
 */
@ApplicationScoped
public class CommandLineSetup {

  public static final int EXIT_INVALID_INPUT = 2;

  @Produces
  CommandLine commandLine(PicocliCommandLineFactory factory) {
    return factory
        .create()
        .setExecutionExceptionHandler(
            (ex, cmd, parseResult) -> {
              if (ex instanceof InvalidSpecException) {
                cmd.getErr().println("scalesweep: " + ex.getMessage());
                return EXIT_INVALID_INPUT;
              }
              throw ex;
            });
  }
}
