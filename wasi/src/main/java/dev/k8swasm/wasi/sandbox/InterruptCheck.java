package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionListener;
import com.dylibso.chicory.runtime.MStack;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;

/**
 * Makes interpreted code stop when its thread is interrupted at {@code br_if} and {@code br_table}
 * too. Chicory 1.7.5's interpreter checks the interrupt flag only at calls and {@code br}, so a
 * loop whose back edge is a conditional branch (what compilers emit) would never stop. Compiled
 * code checks every backward branch itself and does not call listeners; functions the compiler
 * leaves to the interpreter do.
 */
final class InterruptCheck implements ExecutionListener {
  static final InterruptCheck INSTANCE = new InterruptCheck();

  private InterruptCheck() {}

  @Override
  public void onExecution(Instruction instruction, MStack stack) {
    OpCode opcode = instruction.opcode();
    if ((opcode == OpCode.BR_IF || opcode == OpCode.BR_TABLE)
        && Thread.currentThread().isInterrupted()) {
      throw new ChicoryInterruptedException("Thread interrupted");
    }
  }
}
