package dev.kiln.wast;

import dev.kiln.wast.ScriptCommand.ActionType;
import dev.kiln.wast.ScriptCommand.ModuleBytes;
import dev.kiln.wast.ScriptCommand.ModuleQuote;
import dev.kiln.wast.ScriptCommand.ModuleSource;
import dev.kiln.wast.ScriptCommand.WastValue;
import dev.kiln.wasm.Features;
import dev.kiln.wat.Edition;
import dev.kiln.wat.WatSyntaxException;
import dev.kiln.wat.script.Action;
import dev.kiln.wat.script.Command;
import dev.kiln.wat.script.ScriptModule;
import dev.kiln.wat.script.ScriptReader;
import dev.kiln.wat.script.Value;
import dev.kiln.wat.script.WastScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Scripts read by Kiln's own script reader ({@link ScriptReader}, no external tool), mapped onto
 * the runner's {@link ScriptCommand} model (identifiers with their {@code $}, numbers as the
 * unsigned decimal of their bits, the conventions of wabt's JSON script format).
 *
 * <p>The edition decides the text rules and the features: {@link Edition#WASM_2} is the 2022
 * suite's time (a proposal only from its {@code proposals/NAME/} folder, {@link Proposal}; the
 * memory64 folder's text rules are 3.0's, as that proposal made them); {@link Edition#WASM_3}
 * enables what 3.0 made standard and Kiln has (multiple memories, 64-bit memories, extended
 * constant expressions; tail calls and reference types are always on). A script's {@code ;;!}
 * header may enable more ({@code memory64}, {@code multi_memory}, {@code extended_const}, {@code
 * threads}, {@code reference_types}).
 *
 * @param edition the suite's edition
 */
public record TextScriptSource(Edition edition) implements ScriptSource {
  /** Everything WebAssembly 3.0 made standard that Kiln's front end has. */
  static final Features WASM_3 = Features.STANDARD.withMultiMemory(true).withMemory64(true).withExtendedConst(true)
      .withWasm3(true);

  @Override
  public Script read(Path wast) throws IOException, ConversionException {
    Edition textRules = edition == Edition.WASM_2 && Proposal.of(wast).equals(Optional.of(Proposal.MEMORY64))
        ? Edition.WASM_3 : edition;
    String name = wast.toString();
    WastScript script;
    try {
      script = ScriptReader.read(Files.readAllBytes(wast), name, textRules);
    } catch (WatSyntaxException e) {
      throw new ConversionException(e.getMessage());
    }
    Features features = edition == Edition.WASM_2 ? Proposal.features(wast) : WASM_3;
    for (String feature : script.features()) {
      features = switch (feature) {
        case "memory64" -> features.withMemory64(true);
        case "multi_memory" -> features.withMultiMemory(true);
        case "extended_const" -> features.withExtendedConst(true);
        case "threads" -> features.withThreads(true);
        case "reference_types" -> features.withReferenceTypes(true);
        default -> features;
      };
    }
    List<ScriptCommand> commands = new ArrayList<>(script.commands().size());
    for (Command c : script.commands()) {
      commands.add(command(c, name, textRules));
    }
    return new Script(wast, commands, features);
  }

  private static ScriptCommand command(Command c, String scriptName, Edition textRules) {
    return switch (c) {
      case Command.ModuleDefinition m when m.definitionOnly() ->
          new ScriptCommand.DefineModule(m.line(), source(m.module(), scriptName, textRules), dollar(m.id()));
      case Command.ModuleDefinition m ->
          new ScriptCommand.ModuleCommand(m.line(), source(m.module(), scriptName, textRules), dollar(m.id()));
      case Command.ModuleInstance m ->
          new ScriptCommand.InstantiateModule(m.line(), dollar(m.instance()), dollar(m.module()));
      case Command.Register r -> new ScriptCommand.Register(r.line(), r.as(), dollar(r.instance()));
      case Command.Perform p -> new ScriptCommand.PerformAction(p.line(), action(p.action()));
      case Command.AssertReturn a ->
          new ScriptCommand.AssertReturn(a.line(), action(a.action()), a.results().stream().map(TextScriptSource::value).toList());
      case Command.AssertTrap a -> new ScriptCommand.AssertTrap(a.line(), action(a.action()), a.text());
      case Command.AssertExhaustion a -> new ScriptCommand.AssertExhaustion(a.line(), action(a.action()), a.text());
      case Command.AssertException a -> new ScriptCommand.AssertException(a.line(), action(a.action()));
      case Command.AssertMalformed a ->
          new ScriptCommand.AssertMalformed(a.line(), source(a.module(), scriptName, textRules), a.text());
      case Command.AssertInvalid a ->
          new ScriptCommand.AssertInvalid(a.line(), source(a.module(), scriptName, textRules), a.text());
      case Command.AssertUnlinkable a ->
          new ScriptCommand.AssertUnlinkable(a.line(), source(a.module(), scriptName, textRules), a.text());
      case Command.AssertUninstantiable a ->
          new ScriptCommand.AssertUninstantiable(a.line(), source(a.module(), scriptName, textRules), a.text());
      case Command.Unsupported u -> new ScriptCommand.NotSupported(u.line(), u.kind(), switch (u.kind()) {
        case "thread", "wait" -> "needs threads (concurrent script threads), which Kiln's runner does not have";
        default -> "a command of a proposal Kiln's runner does not implement";
      });
      case Command.Unreadable u -> new ScriptCommand.Unreadable(u.line(), u.message());
    };
  }

  private static ModuleSource source(ScriptModule module, String scriptName, Edition textRules) {
    return switch (module) {
      case ScriptModule.Encoded e -> new ModuleBytes(e.bytes());
      case ScriptModule.Quote q -> new ModuleQuote(q, scriptName, textRules);
    };
  }

  private static Optional<String> dollar(Optional<String> id) {
    return id.map(name -> "$" + name);
  }

  private static ScriptCommand.Action action(Action a) {
    return new ScriptCommand.Action(a.get() ? ActionType.GET : ActionType.INVOKE, dollar(a.instance()), a.name(),
        a.args().stream().map(TextScriptSource::value).toList());
  }

  /**
   * A value in the model's conventions: the type, a v128's lane type, and the unsigned decimal of the
   * bits (or the NaN pattern, or {@code null}) per scalar or lane. A reference of a kind the runner
   * does not compare keeps a type that names it ({@code structref}, {@code (ref.null any)}), so
   * its command is skipped saying so.
   */
  static WastValue value(Value v) {
    return switch (v) {
      case Value.Num n -> new WastValue(n.type(), Optional.empty(), List.of(Long.toUnsignedString(n.bits())));
      case Value.NanPattern p ->
          new WastValue(p.type(), Optional.empty(), List.of(p.canonical() ? "nan:canonical" : "nan:arithmetic"));
      case Value.Vector vec -> new WastValue("v128", Optional.of(vec.laneType()), vec.lanes().stream()
          .map(lane -> value(lane).value().getFirst()).toList());
      case Value.RefNull r -> switch (r.heapType()) {
        case "func", "nofunc" -> new WastValue("funcref", Optional.empty(), List.of("null"));
        case "extern", "noextern" -> new WastValue("externref", Optional.empty(), List.of("null"));
        case "exn", "noexn" -> new WastValue(WastValues.EXN, Optional.empty(), List.of("null"));
        // the any hierarchy's null (GC): one word, 0, whatever the heap type
        case "any", "eq", "i31", "struct", "array", "none" -> new WastValue(WastValues.ANY, Optional.empty(), List.of("null"));
        // (ref.null) with no heap type: any null reference (the 3.0 interpreter's script format)
        case "" -> new WastValue(WastValues.ANY_NULL, Optional.empty(), List.of("null"));
        default -> new WastValue("(ref.null " + r.heapType() + ")", Optional.empty(), List.of("null"));
      };
      case Value.Ref r when r.kind().equals("extern") && r.index().isPresent() ->
          new WastValue("externref", Optional.empty(), List.of(Long.toString(r.index().getAsLong())));
      // Any non-null function reference matches a (ref.func) result (WastValues).
      case Value.Ref r when r.kind().equals("func") -> new WastValue("funcref", Optional.empty(), List.of("func"));
      case Value.Ref r when r.kind().equals("extern") -> new WastValue("(ref.extern)", Optional.empty(), List.of("any"));
      case Value.Ref r -> new WastValue(r.kind() + "ref", Optional.empty(),
          List.of(r.index().isPresent() ? Long.toString(r.index().getAsLong()) : "any"));
      case Value.Either e -> WastValue.either(e.alternatives().stream().map(TextScriptSource::value).toList());
    };
  }
}
