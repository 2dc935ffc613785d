package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.MStack;
import com.dylibso.chicory.runtime.StackFrame;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.Deque;

/**
 * Chicory's interpreter with a limit on call nesting: a call deeper than {@code maxCallDepth} traps
 * with "call stack exhausted" instead of recursing until the JVM stack overflows.
 *
 * <p>Every call the interpreter makes ({@code call}, {@code call_indirect}, {@code call_ref} and
 * the export call itself) goes through the overridden method; tail calls reuse their frame and do
 * not count. One machine belongs to one instance, which one thread uses at a time.
 */
final class DepthLimitedInterpreterMachine extends InterpreterMachine {
  private final int maxCallDepth;
  private int depth;

  DepthLimitedInterpreterMachine(Instance instance, int maxCallDepth) {
    super(instance);
    this.maxCallDepth = maxCallDepth;
  }

  @Override
  protected long[] call(
      MStack stack,
      Instance instance,
      Deque<StackFrame> callStack,
      int funcId,
      long[] args,
      FunctionType callType,
      boolean popResults) {
    if (depth >= maxCallDepth) {
      throw new TrapException(
          "call stack exhausted: more than "
              + maxCallDepth
              + " nested calls (Limits.maxCallDepth)");
    }
    depth++;
    try {
      return super.call(stack, instance, callStack, funcId, args, callType, popResults);
    } finally {
      depth--;
    }
  }
}
