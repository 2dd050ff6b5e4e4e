package dev.kiln.runtime.tools;

import java.util.List;

/**
 * What {@link Compilations#compile} made and how: the figures {@code kiln compile} prints.
 *
 * @param artifactBytes the size of the {@code .cwasm} written (signed if the engine has a sign key)
 * @param functions functions placed in the text
 * @param dropped functions no root reaches, left out of the text
 * @param codeBytes the text's size
 * @param moves what register allocation left in all functions together: spill stores, reloads and
 *     register copies, each also counted inside loops
 * @param functionMoves the same per function that has any, in FuncKey order, if the compile was
 *     asked for them (empty otherwise)
 */
public record CompileReport(long artifactBytes, int functions, int dropped, int codeBytes, String moves,
    List<FunctionMoves> functionMoves) {
  /**
   * One function's moves.
   *
   * @param function the function's key, e.g. {@code wasm[0]::function[3]}
   * @param moves its counts, as {@link CompileReport#moves()} writes them
   */
  public record FunctionMoves(String function, String moves) {}

  public CompileReport {
    functionMoves = List.copyOf(functionMoves);
  }
}
