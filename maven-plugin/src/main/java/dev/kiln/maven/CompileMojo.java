package dev.kiln.maven;

import dev.kiln.runtime.Target;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Goal {@code kiln:compile}: compiles {@link #module} for each of {@link #targets} and generates
 * {@link #className} to call it (docs/EMBEDDING.md, "At build time"). The class goes to {@code
 * target/generated-sources/kiln}, added as a source root; the {@code .cwasm} of each target (and
 * the {@code .wasm}, unless {@link #embedWasm} is off) to {@code target/generated-resources/kiln},
 * added as a resource directory, beside the class in the jar. Nothing is compiled when the module,
 * the settings and Kiln are those of the last build (its stamp, {@code target/kiln-stamps}). A
 * module Kiln refuses fails the build with Kiln's one line: the file, the offset, what is wrong.
 */
@Mojo(name = "compile", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class CompileMojo extends AbstractMojo {
  /** The module: a {@code .wasm} binary, or a {@code .wat} text module. */
  @Parameter(required = true)
  private File module;

  /** The fully qualified name of the class to generate, e.g. {@code com.example.Kernels}. */
  @Parameter(required = true)
  private String className;

  /** The instruction sets to compile for: {@code x86_64}, {@code aarch64}. */
  @Parameter(defaultValue = "x86_64,aarch64")
  private List<String> targets;

  /** Compile epoch checks: the store's epoch deadline can interrupt the guest. */
  @Parameter(defaultValue = "false")
  private boolean epochInterruption;

  /** Compile fuel metering: the store's fuel bounds the operators the guest runs. */
  @Parameter(defaultValue = "false")
  private boolean consumeFuel;

  /** Check every 32-bit memory access in code instead of relying on guard pages. */
  @Parameter(defaultValue = "false")
  private boolean explicitBoundsChecks;

  /**
   * The x86-64 extensions the x86-64 code may use: {@code baseline} or a list such as {@code
   * popcnt,ssse3,sse4_1,sse4_2,avx,avx2}. Fixed, never the build machine's, so the jar is the same
   * wherever it is built; a host without one of them compiles the packed module instead.
   */
  @Parameter(defaultValue = "popcnt,ssse3,sse4_1,sse4_2")
  private String x86Features;

  /** An HMAC-SHA256 key file (32 bytes or more) to sign the artifacts with. */
  @Parameter
  private File signKey;

  /**
   * Pack the {@code .wasm} too, compiled at run time on a host no artifact fits; off, such a host
   * gets one clear error instead.
   */
  @Parameter(defaultValue = "true")
  private boolean embedWasm;

  /** Where the generated class goes. */
  @Parameter(defaultValue = "${project.build.directory}/generated-sources/kiln")
  private File sourceDirectory;

  /** Where the artifacts go, packed into the jar. */
  @Parameter(defaultValue = "${project.build.directory}/generated-resources/kiln")
  private File resourceDirectory;

  /** Where the stamps of incremental builds are kept. */
  @Parameter(defaultValue = "${project.build.directory}/kiln-stamps")
  private File stampDirectory;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    BuildSettings settings = settings();
    ModuleBuild.Result result;
    try {
      result = ModuleBuild.run(settings, new ModuleBuild.Roots(sourceDirectory.toPath(), resourceDirectory.toPath(),
          stampDirectory.toPath()));
    } catch (BuildFailure e) {
      // Kiln's one line; Maven prints no stack trace for a failure without -e.
      throw new MojoFailureException(e.getMessage());
    } catch (IOException e) {
      throw new MojoExecutionException("kiln: cannot write the outputs of " + settings.className() + ": " + e.getMessage(), e);
    }
    getLog().info(settings.className() + ": " + (result.upToDate() ? "up to date" : "compiled " + settings.moduleLabel()
        + " for " + settings.targets().stream().map(Target::displayName).collect(Collectors.joining(", "))));
    project.addCompileSourceRoot(sourceDirectory.getPath());
    addResourceDirectory();
  }

  private BuildSettings settings() throws MojoFailureException {
    List<Target> chosen = new ArrayList<>();
    for (String name : targets) {
      String trimmed = name.trim();
      chosen.add(Target.fromName(trimmed).orElseThrow(() -> new MojoFailureException("kiln: unknown target '" + trimmed
          + "' (known: " + Arrays.stream(Target.values()).map(Target::displayName).collect(Collectors.joining(", "))
          + ")")));
    }
    if (chosen.isEmpty()) {
      throw new MojoFailureException("kiln: no target");
    }
    Path base = project.getBasedir().toPath();
    Path modulePath = module.toPath();
    String label = modulePath.startsWith(base) ? base.relativize(modulePath).toString() : modulePath.toString();
    return new BuildSettings(modulePath, label, className, chosen.stream().distinct().toList(), epochInterruption,
        consumeFuel, explicitBoundsChecks, x86Features, Optional.ofNullable(signKey).map(File::toPath), embedWasm);
  }

  /** Adds the resource directory once, however many executions share it. */
  private void addResourceDirectory() {
    String directory = resourceDirectory.getPath();
    if (project.getResources().stream().noneMatch(r -> directory.equals(r.getDirectory()))) {
      Resource resource = new Resource();
      resource.setDirectory(directory);
      project.addResource(resource);
    }
  }
}
