package dev.k8swasm.cli;

import dev.k8swasm.config.ConfigException;
import dev.k8swasm.json.Redaction;
import dev.k8swasm.module.ModuleException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParameterException;

/**
 * Turns failures into the CLI's error output: {@code error: <message>} on stderr and exit code 1,
 * with bearer tokens redacted, and a stack trace only in debug mode. Usage errors ({@link
 * ParameterException}) pass through to picocli (exit code 2).
 */
final class Errors {
  /** Exit code of a failure. */
  static final int FAILURE = 1;

  private static final int MAX_MESSAGE = 4000;

  private final PrintWriter err;
  private final boolean debug;
  private final List<String> secrets = new ArrayList<>();

  Errors(PrintWriter err, boolean debug) {
    this.err = err;
    this.debug = debug;
  }

  /** Text that must never appear in an error (e.g. the token of the request under review). */
  void addSecret(String secret) {
    if (secret != null && !secret.isEmpty()) {
      secrets.add(secret);
    }
  }

  /** Runs {@code body}, reporting any failure; returns the exit code. */
  int guard(Callable<Integer> body) {
    try {
      return body.call();
    } catch (ParameterException e) {
      throw e;
    } catch (ConfigException e) {
      // every problem, one per line, still starting with "error:"
      return report(e.getMessage(), e, false);
    } catch (CliException | ModuleException e) {
      return report(e.getMessage(), e, true);
    } catch (UncheckedIOException e) {
      return report(describe(e.getCause()), e, true);
    } catch (IOException e) {
      return report(describe(e), e, true);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return report(e.getMessage() == null ? e.toString() : e.getMessage(), e, true);
    } catch (Exception | StackOverflowError e) {
      return report("internal error: " + e + " (please report it; --debug shows details)", e, true);
    }
  }

  /** Prints {@code error: message} and returns the failure exit code. */
  int report(String message, Throwable cause, boolean oneLine) {
    String text = redact(message == null ? "unknown error" : message);
    if (oneLine) {
      text = oneLine(text);
    }
    err.println("error: " + text);
    if (debug && cause != null) {
      // the trace's messages may hold the token too
      java.io.StringWriter trace = new java.io.StringWriter();
      cause.printStackTrace(new PrintWriter(trace));
      err.print(redact(trace.toString()));
    }
    err.flush();
    return FAILURE;
  }

  /** {@code text} without bearer tokens. */
  String redact(String text) {
    String out = Redaction.redact(text);
    for (String s : secrets) {
      out = out.replace(s, Redaction.REDACTED);
    }
    return out;
  }

  /** {@code text} on one line: line breaks and the indentation after them become one space. */
  static String oneLine(String text) {
    String s = text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "... (truncated)" : s;
  }

  private static String describe(Throwable e) {
    if (e == null) {
      return "I/O error";
    }
    return e.getMessage() == null
        ? e.toString()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
