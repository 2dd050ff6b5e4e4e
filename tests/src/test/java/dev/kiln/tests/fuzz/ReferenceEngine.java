package dev.kiln.tests.fuzz;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Node's V8 as the reference engine: one long-lived {@code node reference.mjs} process answers
 * trace requests for one module after another (starting Node per module would cost more than the
 * run itself).
 */
final class ReferenceEngine implements AutoCloseable {
  private final Process node;
  private final BufferedWriter requests;
  private final BufferedReader replies;

  ReferenceEngine(Path script) throws IOException {
    node = new ProcessBuilder("node", "--no-warnings", "--stack-size=4000", script.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    requests = new BufferedWriter(new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8));
    replies = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The trace of {@code module} (a file) on V8, calling {@code calls}. */
  List<String> trace(Path module, List<DiffTrace.Call> calls) throws IOException {
    StringBuilder request = new StringBuilder(module.toString());
    for (DiffTrace.Call call : calls) {
      request.append('\t').append(call.protocol());
    }
    requests.write(request.append('\n').toString());
    requests.flush();
    List<String> trace = new ArrayList<>();
    for (String line; (line = replies.readLine()) != null; ) {
      if (line.equals("end")) {
        return trace;
      }
      trace.add(line);
    }
    throw new IOException("the Node reference stopped answering" + (node.isAlive() ? "" : " (exit " + node.exitValue() + ")"));
  }

  @Override
  public void close() throws IOException {
    requests.close();
    node.destroy();
  }
}
