using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace NetGen.Generator.Tests;

/// <summary>
/// Property-based tests over random declarations, valid and not: any layer kinds in any order, sizes
/// from 0 and negative to int.MaxValue, every element type, partial or not, static, records, nesting in
/// partial, non-partial and generic types, stray attributes, and broken syntax. Whatever the input, the
/// generator must not throw, and it either reports NG errors (and generates nothing) or generates code
/// that adds no error and no warning to the compilation.
/// </summary>
public class DeclarationFuzzTests
{
    private const int Cases = 2_500;

    /// <summary>
    /// Compiling the generated code is what takes time (about half a second per network on a loaded
    /// two-core machine, against a few milliseconds to generate it), so only this many of the
    /// generated networks, the first distinct ones met, are compiled.
    /// </summary>
    private const int MaxCompileChecks = 80;

    private readonly ITestOutputHelper _output;

    public DeclarationFuzzTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// The seed of the fixed case list: case i is generated from PCG stream i with this seed, the same on every
    /// machine and every run.
    /// </summary>
    private const ulong FixedSeed = 0x4E6574_47656E;   // "NetGen"

    [Fact]
    public void TheGeneratorNeverThrowsAndEitherReportsErrorsOrEmitsCleanCode()
    {
        // CI checks the same fixed list of cases on every run, so that a red build is caused by the change
        // under test and not by an older edge case that the draw happened to reach that day; everywhere else
        // (and in CI with NETGEN_FUZZ=random, which .ci/run runs as a separate, reported step) the cases
        // are drawn afresh each run, with CsCheck shrinking any failure to a small declaration.
        string? mode = Environment.GetEnvironmentVariable("NETGEN_FUZZ");
        bool fixedCases = mode == "fixed" || (mode != "random" && Environment.GetEnvironmentVariable("CI") == "true");

        var statistics = new Statistics();
        var clock = Stopwatch.StartNew();
        if (fixedCases)
        {
            CheckFixedCases(statistics);
        }
        else
        {
            var compiled = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            // A statement body, not an expression: CsCheck reads a lambda that returns bool as a predicate.
            RandomDeclarations.Case.Sample(
                declaration =>
                {
                    CheckOne(declaration, statistics,
                        compileShape: shape => Volatile.Read(ref statistics.CompileChecked) < MaxCompileChecks && compiled.TryAdd(shape, true));
                },
                iter: Cases,
                threads: 2,
                print: declaration => declaration.Source);
        }

        clock.Stop();
        _output.WriteLine(
            $"{statistics.Cases} {(fixedCases ? "fixed" : "random")} cases in {clock.Elapsed.TotalSeconds:F1} s: {statistics.WithErrors} reported NG errors, " +
            $"{statistics.Generated} generated code ({statistics.CompileChecked} of them compiled), {statistics.BrokenSyntax} had broken syntax. " +
            $"Time in the generator {Seconds(statistics.GenerationTicks):F1} s, compiling its output {Seconds(statistics.CompileTicks):F1} s (both summed over threads).");
        Assert.Equal(Cases, statistics.Cases);

        // The generator must have been exercised both ways, or the property says little.
        Assert.True(statistics.WithErrors > Cases / 10, $"only {statistics.WithErrors} cases had NG errors");
        Assert.True(statistics.Generated > Cases / 10, $"only {statistics.Generated} cases generated code");
        Assert.True(statistics.CompileChecked >= Math.Min(MaxCompileChecks, statistics.Generated / 2), $"only {statistics.CompileChecked} generated networks were compiled");
    }

    /// <summary>
    /// The fixed list, checked in two passes so that which networks are compiled does not depend on thread
    /// timing: every case through the generator, then the first <see cref="MaxCompileChecks"/> distinct
    /// shapes that generated code, in case order, through the generator again and the compiler.
    /// </summary>
    private static void CheckFixedCases(Statistics statistics)
    {
        RandomDeclarations.Declaration[] declarations = Enumerable.Range(0, Cases)
            .Select(i => RandomDeclarations.Case.Generate(new PCG((uint)i, FixedSeed), null, out _))
            .ToArray();
        var generated = new ConcurrentBag<int>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = 2 };
        Parallel.For(0, Cases, options, i => Explained(i, declarations[i], () =>
        {
            if (CheckOne(declarations[i], statistics, compileShape: _ => false))
            {
                generated.Add(i);
            }
        }));

        var shapes = new HashSet<string>(StringComparer.Ordinal);
        int[] toCompile = generated.OrderBy(i => i).Where(i => shapes.Add(declarations[i].Shape)).Take(MaxCompileChecks).ToArray();
        var compilePass = new Statistics();
        Parallel.ForEach(toCompile, options, i => Explained(i, declarations[i], () => CheckOne(declarations[i], compilePass, compileShape: _ => true)));
        statistics.CompileChecked = compilePass.CompileChecked;
        statistics.CompileTicks = compilePass.CompileTicks;
    }

    /// <summary>A failure in the fixed list names its case and shows the declaration, as CsCheck does for a drawn one.</summary>
    private static void Explained(int index, RandomDeclarations.Declaration declaration, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e)
        {
            throw new XunitException($"Fixed fuzz case {index} (PCG stream {index}, seed 0x{FixedSeed:X}) failed: {e.Message}\n--- declaration ---\n{declaration.Source}");
        }
    }

    /// <summary>Checks one declaration; returns whether it generated code. Compiles the output when <paramref name="compileShape"/> says so.</summary>
    private static bool CheckOne(RandomDeclarations.Declaration declaration, Statistics statistics, Func<string, bool> compileShape)
    {
        Interlocked.Increment(ref statistics.Cases);
        if (declaration.BrokenSyntax)
        {
            Interlocked.Increment(ref statistics.BrokenSyntax);
        }

        long started = Stopwatch.GetTimestamp();
        CSharpCompilation input = GeneratorHarness.Compile(declaration.Source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new NetworkGenerator().AsSourceGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Interlocked.Add(ref statistics.GenerationTicks, Stopwatch.GetTimestamp() - started);

        // Never throws: an exception surfaces as Exception here and as warning CS8785 in the build.
        Assert.Null(result.Exception);
        Assert.DoesNotContain(driverDiagnostics, d => d.Id == "CS8785");
        Assert.All(driverDiagnostics, d => Assert.StartsWith("NG", d.Id, StringComparison.Ordinal));

        if (driverDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            // One network per case, so "no code for that class" means no code at all.
            Interlocked.Increment(ref statistics.WithErrors);
            Assert.Empty(result.GeneratedSources);
            Assert.All(driverDiagnostics, d => Assert.True(d.Location.IsInSource && d.Location.SourceTree == input.SyntaxTrees.Single()));
            return false;
        }
        if (result.GeneratedSources.IsEmpty)
        {
            return false; // nothing declared a network (e.g. the [Network] attribute was cut off), or the compiler rejects a layer
        }

        Interlocked.Increment(ref statistics.Generated);
        Assert.Single(result.GeneratedSources);
        // Huge networks are compiled like any other: the emitted code does not grow with the sizes
        // (HugeLayerTests), and near int's range is where overflows in it would show.
        if (!compileShape(declaration.Shape))
        {
            return true;
        }

        // Generated code must add no error and no warning: what the consumer's own code already had
        // (a broken file, an unresolved stray attribute) is subtracted.
        Interlocked.Increment(ref statistics.CompileChecked);
        started = Stopwatch.GetTimestamp();
        HashSet<string> before = Problems(input).ToHashSet(StringComparer.Ordinal);
        List<string> added = Problems(output).Where(problem => !before.Contains(problem)).ToList();
        Interlocked.Add(ref statistics.CompileTicks, Stopwatch.GetTimestamp() - started);
        Assert.True(added.Count == 0, "The generated code added:\n" + string.Join("\n", added.Take(10)));
        return true;
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private static IEnumerable<string> Problems(Compilation compilation)
        => compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString());

    private sealed class Statistics
    {
        public int Cases;
        public int WithErrors;
        public int Generated;
        public int CompileChecked;
        public int BrokenSyntax;
        public long GenerationTicks;
        public long CompileTicks;
    }
}

/// <summary>Random network declarations: the generator's input space, good and bad.</summary>
internal static class RandomDeclarations
{
    /// <param name="Source">The whole file.</param>
    /// <param name="Shape">What the emitted code depends on, to compile each distinct shape once.</param>
    /// <param name="BrokenSyntax">True when the text was cut or had a bracket removed.</param>
    public sealed record Declaration(string Source, string Shape, bool BrokenSyntax);

    private sealed record Layer(string Kind, int Inputs, int Outputs, bool Chained);

    /// <summary>Mostly small widths, so that many networks are valid; sometimes the edges and the huge.</summary>
    private static readonly Gen<int> Size = Gen.Frequency(
        (40, Gen.Int[1, 24]),
        (1, Gen.Const(0)),
        (1, Gen.Int[-5, -1]),
        (2, Gen.Const(1)),
        (2, Gen.Int[500, 3000]),
        (2, Gen.Const(100_000)),
        (1, Gen.Const(1_000_000_000)),
        (1, Gen.Const(int.MaxValue)),
        (1, Gen.Const(int.MinValue)));

    /// <summary>
    /// Every kind in the catalogues that takes the shape flowing in, written as a declaration would write it
    /// (LeakyReLU with and without its slope, finite or not): a kind added to the catalogue is fuzzed at once.
    /// </summary>
    private static readonly string[] ShapeKeepingKinds = Kinds.LayerCatalog.All
        .Where(d => !d.StatedInput(new Model.LayerSpec(d.Kind, 2, 2)).IsKnown && d.KeepsShape)
        .SelectMany(d => d.Kind == Model.LayerKind.LeakyReLU ? new[] { "LeakyReLU", "LeakyReLU(0.2)", "LeakyReLU(-1.5)", "LeakyReLU(double.NaN)" } : new[] { d.Name })
        .ToArray();

    private static readonly string[] LossKinds = Kinds.Losses.LossCatalog.All.Select(d => d.Name).ToArray();

    private static readonly Gen<Layer> AnyLayer = Gen.Frequency(
        (12, Gen.Select(Size, Size, Gen.Int[0, 19], (inputs, outputs, chain) => new Layer("Linear", inputs, outputs, chain < 18))),
        (3, Gen.Select(Size, Size, Gen.Int[0, 19], Gen.Bool, (inputs, hidden, chain, gru) => new Layer(gru ? "GRU" : "LSTM", inputs, hidden, chain < 18))),
        (5, Gen.Const(new Layer("ReLU", 0, 0, false))),
        (4, Gen.Int[0, ShapeKeepingKinds.Length - 1].Select(i => new Layer(ShapeKeepingKinds[i], 0, 0, false))),
        (2, Gen.Const(new Layer("Softmax", 0, 0, false))),
        (1, Gen.Int[0, LossKinds.Length - 1].Select(i => new Layer(LossKinds[i], 0, 0, false))));

    /// <summary>Half the networks end as classifiers do, so that the loss is mostly where it belongs.</summary>
    private static readonly Gen<Layer[]> Tail = Gen.Frequency(
        (5, Gen.Const(Array.Empty<Layer>())),
        (5, Gen.Const(new[] { new Layer("Softmax", 0, 0, false), new Layer("CrossEntropyLoss", 0, 0, false) })));

    private static readonly Gen<string> NetworkAttribute = Gen.Frequency(
        (20, Gen.Const("Network")),
        (6, Gen.Const("Network(typeof(double))")),
        (3, Gen.Const("Network(typeof(float))")),
        (2, Gen.Const("Network(typeof(int))")),
        (1, Gen.Const("Network(typeof(decimal))")),
        (1, Gen.Const("Network(null)")),
        (3, Gen.Const("Network(FullUnroll = true)")),
        (2, Gen.Const("NetGen.NetworkAttribute(typeof(double), FullUnroll = false)")),
        (1, Gen.Const("")));

    private static readonly Gen<string> StrayAttribute = Gen.OneOf(
        "System.Serializable", "System.Obsolete(\"kept for tests\")", "System.Diagnostics.DebuggerDisplay(\"{ToString()}\")",
        "System.CLSCompliant(false)", "Unknown");

    /// <summary>Containing types, innermost last; the emitter must reopen each as partial.</summary>
    private static readonly Gen<string> Container = Gen.Frequency(
        (20, Gen.Const("partial class Outer{0}")),
        (3, Gen.Const("static partial class Holder{0}")),
        (3, Gen.Const("partial struct Value{0}")),
        (2, Gen.Const("partial record Rec{0}")),
        (2, Gen.Const("partial interface IHolder{0}")),
        (3, Gen.Const("class Plain{0}")),
        (2, Gen.Const("partial class Generic{0}<T>")));

    private static readonly Gen<string> ClassKeywordAndModifiers = Gen.Frequency(
        (60, Gen.Const("partial class")),
        (4, Gen.Const("class")),
        (3, Gen.Const("sealed partial class")),
        (2, Gen.Const("static partial class")),
        (2, Gen.Const("partial record")),
        (1, Gen.Const("partial record class")),
        (1, Gen.Const("partial record struct")),
        (1, Gen.Const("partial struct")),
        (1, Gen.Const("abstract partial class")),
        (1, Gen.Const("unsafe partial class")));

    private static readonly Gen<string> ClassName = Gen.OneOf("Net", "Net", "Net", "Iris", "@class", "_", "Café", "Record");

    public static readonly Gen<Declaration> Case =
        Gen.Select(
            Gen.Select(AnyLayer.List[0, 6], Tail, (body, tail) => body.Concat(tail).ToList()),
            NetworkAttribute,
            StrayAttribute.List[0, 2],
            Container.List[0, 2],
            ClassKeywordAndModifiers,
            ClassName,
            Gen.Frequency((15, Gen.Const("")), (1, Gen.Const("<T>"))),
            Gen.Int[0, 3],
            Gen.Int[0, 99],
            Gen.Int[0, 99],
            Gen.UInt,
            (layers, network, strays, containers, keyword, name, typeParameters, namespaceStyle, accessibilityRoll, breakRoll, seed)
                => Build(layers, network, strays, containers, keyword, name, typeParameters, namespaceStyle, accessibilityRoll, breakRoll, seed));

    private static Declaration Build(
        List<Layer> layers, string network, List<string> strays, List<string> containers, string keyword, string name,
        string typeParameters, int namespaceStyle, int accessibilityRoll, int breakRoll, uint seed)
    {
        var random = new Random((int)seed);
        bool fullUnroll = network.Contains("FullUnroll = true", StringComparison.Ordinal);

        // Chained Linear layers take the width flowing in, so that valid networks are common.
        var written = new List<string>();
        int? width = null;
        foreach (Layer layer in layers)
        {
            if (layer.Kind is not ("Linear" or "GRU" or "LSTM"))
            {
                written.Add(random.Next(8) == 0 ? "global::NetGen." + layer.Kind.Replace("(", "Attribute(") + (layer.Kind.Contains('(') ? "" : "Attribute") : layer.Kind);
                continue;
            }
            int inputs = layer.Chained && width is not null ? width.Value : layer.Inputs;
            int outputs = layer.Outputs;
            if (fullUnroll)
            {
                // FullUnroll writes every output row out, so the source grows with the width: keep it small.
                inputs = Math.Clamp(inputs, -1, 40);
                outputs = Math.Clamp(outputs, -1, 40);
            }
            width = outputs;
            // Sized kinds state their inputs (Linear(inputs, outputs), GRU/LSTM(inputs, hidden)).
            string second = layer.Kind == "Linear" ? "outputs" : "hidden";
            written.Add(random.Next(6) switch
            {
                0 => $"{layer.Kind}({second}: {outputs}, inputs: {inputs})",
                1 => $"NetGen.{layer.Kind}({inputs}, {outputs})",
                _ => $"{layer.Kind}({inputs}, {outputs})",
            });
        }

        var attributes = new List<string>();
        if (network.Length > 0)
        {
            attributes.Add(network);
        }
        attributes.AddRange(written);
        foreach (string stray in strays)
        {
            attributes.Insert(random.Next(attributes.Count + 1), stray);
        }

        var text = new StringBuilder();
        text.AppendLine("using NetGen;");
        text.AppendLine("using System;");
        string indent = "";
        int closers = 0;
        switch (namespaceStyle)
        {
            case 1:
                text.AppendLine("namespace Fuzz.FileScoped;");
                break;
            case 2:
                text.AppendLine("namespace Fuzz.Block").AppendLine("{");
                indent += "    ";
                closers++;
                break;
            case 3:
                text.AppendLine("namespace @event.@class").AppendLine("{");
                indent += "    ";
                closers++;
                break;
        }
        for (int i = 0; i < containers.Count; i++)
        {
            text.Append(indent).AppendLine("public " + string.Format(System.Globalization.CultureInfo.InvariantCulture, containers[i], i));
            text.Append(indent).AppendLine("{");
            indent += "    ";
            closers++;
        }

        // Attribute lists: one per attribute, or several to a list.
        for (int i = 0; i < attributes.Count;)
        {
            int take = Math.Min(attributes.Count - i, random.Next(3) == 0 ? 1 + random.Next(3) : 1);
            text.Append(indent).Append('[').Append(string.Join(", ", attributes.Skip(i).Take(take))).Append(']').AppendLine();
            i += take;
        }
        string accessibility = accessibilityRoll switch
        {
            < 60 => "public ",
            < 85 => "internal ",
            < 95 => "",
            _ => "private ",
        };
        text.Append(indent).Append(accessibility).Append(keyword).Append(' ').Append(name).Append(typeParameters).AppendLine(" { public int Tag; }");
        for (int i = closers; i > 0; i--)
        {
            indent = indent.Substring(4);
            text.Append(indent).AppendLine("}");
        }

        string source = text.ToString();
        bool broken = false;
        if (breakRoll < 8)
        {
            source = Break(source, random);
            broken = true;
        }
        string shape = string.Join("|", attributes) + "|" + string.Join("|", containers) + "|" + keyword + name + typeParameters + namespaceStyle + accessibility;
        return new Declaration(source, shape, broken);
    }

    /// <summary>Breaks the syntax as a half-typed file does: cut short, or a bracket or parenthesis gone or doubled.</summary>
    private static string Break(string source, Random random)
    {
        int position = random.Next(source.Length);
        switch (random.Next(4))
        {
            case 0:
                return source.Substring(0, position);
            case 1:
            {
                int paren = source.IndexOf(')', position);
                return paren < 0 ? source.Substring(0, position) : source.Remove(paren, 1);
            }
            case 2:
            {
                int bracket = source.IndexOf(']', position);
                return bracket < 0 ? source + "[" : source.Remove(bracket, 1);
            }
            default:
                return source.Insert(position, random.Next(2) == 0 ? "(" : ",");
        }
    }
}
