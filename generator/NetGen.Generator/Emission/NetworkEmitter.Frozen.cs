using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>
/// <c>Freeze()</c> and the nested <c>Frozen</c> class of a network that has a written-out forward: an
/// inference-only snapshot of the parameters whose one-sample forward reads input-major weights
/// (<see cref="LaneForward.EmitColumnsMethod"/>). <c>Parameters</c> is a public array in PyTorch's layout
/// that callers may write at any moment, so a transposed copy inside the network could not be trusted; a
/// snapshot that is explicitly taken (and retaken by <c>Refresh()</c>) can be. Where the written-out code
/// cannot run, the snapshot runs the network's own passes over its plain copy, so it gives the network's
/// outputs everywhere.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private void EmitFreeze()
    {
        string name = Spec.ClassName;
        bool classifies = Loss?.Classifies == true;
        string baseType = classifies ? "global::NetGen.FrozenClassifier<float>" : "global::NetGen.FrozenNetwork<float>";
        _w.Line("/// <summary>");
        _w.Line("/// A snapshot of this network's parameters for fast one-sample inference: its Forward reads a copy whose Linear");
        _w.Line("/// weights are laid out input-major (on .NET 8+ with AVX-512). Later writes to Parameters reach it only through its");
        _w.Line("/// Refresh(). Allocates the snapshot and compiles its forward.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        _w.Line($"public {baseType} Freeze() => new Frozen(this);");
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line($"/// The snapshot Freeze() takes of {name}'s parameters. On .NET 8+ with AVX-512 its one-sample Forward reads a copy");
        _w.Line("/// whose Linear weights are laid out input-major, each input broadcast into whole vectors of outputs with no sums");
        _w.Line("/// across lanes (RTNeural's layout), which the network itself cannot keep because Parameters is public and");
        _w.Line("/// PyTorch-shaped. Elsewhere it runs the network's own passes over its plain copy. It reads only its own constants and");
        _w.Line("/// the network's Parameters array, never the class's members, so a class the compiler rejects gets no errors from here.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        using (_w.Block($"private sealed class Frozen : {baseType}"))
        {
            _w.Line(Invariant($"private const int Inputs = {_plan.InputSize}, Outputs = {_plan.OutputSize}, ParameterCount = {_plan.ParameterCount};"));
            _w.Line();
            EmitSnapshotCopies(_names.Contract(classifies ? "IClassifier" : "INetwork"), "the written-out forward can run",
                "One call on zeros compiles the forward now rather than in the first frame that uses it.",
                "global::System.Span<float> zeros = stackalloc float[Inputs + Outputs];",
                "Forward(zeros.Slice(0, Inputs), zeros.Slice(Inputs));");
            _w.Line(Optimized);
            using (_w.Block("public override void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output)"))
            {
                _w.Line("if (input.Length != Inputs) throw Kernels.WrongLength(nameof(input), Inputs, input.Length, \"InputSize\");");
                _w.Line("if (output.Length != Outputs) throw Kernels.WrongLength(nameof(output), Outputs, output.Length, \"OutputSize\");");
                _w.Line("#if NET8_0_OR_GREATER");
                using (_w.Block("if (_columns is not null)"))
                {
                    _w.Line("Kernels.ForwardInColumns(new global::System.ReadOnlySpan<float>(_columns, _columnsStart, ParameterCount), input, output);");
                    _w.Line("return;");
                }
                _w.Line("#endif");
                _w.Line($"Kernels.{SingleSamplePass}(_parameters, input, output, 1);");
            }
            _w.Line();
            _w.Line(Optimized);
            using (_w.Block("public override void Forward(global::System.ReadOnlySpan<float> inputs, global::System.Span<float> outputs, int batchSize)"))
            {
                _w.Line("if (batchSize < 1) throw Kernels.EmptyBatch(nameof(batchSize), batchSize);");
                _w.Line("if (inputs.Length != (long)batchSize * Inputs) throw Kernels.WrongLength(nameof(inputs), (long)batchSize * Inputs, inputs.Length, \"batchSize * InputSize\");");
                _w.Line("if (outputs.Length != (long)batchSize * Outputs) throw Kernels.WrongLength(nameof(outputs), (long)batchSize * Outputs, outputs.Length, \"batchSize * OutputSize\");");
                using (_w.Block($"if (Kernels.{KernelNames.UseColumns}(batchSize))"))
                {
                    _w.Line("Kernels.InferColumns(_parameters, inputs, outputs, batchSize);");
                    _w.Line("return;");
                }
                _w.Line("Kernels.InferSamples(_parameters, inputs, outputs, batchSize);");
            }
            if (classifies)
            {
                _w.Line();
                _w.Line(Optimized);
                using (_w.Block("public override int Predict(global::System.ReadOnlySpan<float> input)"))
                {
                    _w.Line("global::System.Span<float> output = stackalloc float[Outputs];");
                    _w.Line("Forward(input, output);");
                    _w.Line("return Kernels.ArgMax(output);");
                }
            }
        }
        _w.Line();
    }

    /// <summary>
    /// Whether the class's accessibility is one the compiler accepts where it is declared: a top-level class
    /// declared private or protected is the user's CS1527, and in such a class the compiler also refuses the
    /// snapshot class's access to the nested Kernels, so the snapshot waits until the declaration is fixed (the
    /// compiler's error already says what to fix).
    /// </summary>
    private bool AccessibilityAccepted => Spec.ContainingTypes.Count > 0 || !(Spec.Accessibility.Contains("private") || Spec.Accessibility.Contains("protected"));

    /// <summary>Whether a feed-forward network gets Freeze(): it has the written-out forward, whose plan the snapshot's forward follows.</summary>
    private bool FreezesFeedForward => _lanes is not null && AccessibilityAccepted;

    /// <summary>
    /// Whether a sequence network gets Freeze(): float, not deterministic (whose bits must not depend on the
    /// layout), and at least one recurrent layer that steps in registers on AVX-512 (a hidden size that is a
    /// multiple of 8), whose weight matrices the snapshot then holds input-major.
    /// </summary>
    private bool Freezes => IsSequence && Spec.ElementType == ElementType.Float && !Spec.Deterministic && _plan.Layers.Any(StepsInColumns) && AccessibilityAccepted;

    /// <summary>Whether the frozen step reads <paramref name="layer"/>'s weights input-major: a recurrent layer that steps in registers.</summary>
    private bool StepsInColumns(PlannedLayer layer) => RecurrentKind(layer) is not null && RecurrentLaneWidth(layer.Inputs, layer.Outputs) > 0;

    /// <summary>A sequence network's FillColumns: a copy of the parameters, each recurrent layer that steps in registers transposed.</summary>
    private void EmitSequenceFillColumns()
    {
        _w.Line("#if NET8_0_OR_GREATER");
        _w.Line("/// <summary>The parameters as StepOneColumns reads them: a copy, with the weight matrices of the layers it steps input-major transposed.</summary>");
        using (_w.Block("public static void FillColumns(global::System.ReadOnlySpan<float> parameters, global::System.Span<float> columns)"))
        {
            _w.Line("parameters.CopyTo(columns);");
            foreach (PlannedLayer layer in _plan.Layers.Where(StepsInColumns))
            {
                _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: weight_ih and weight_hh stored transposed, [inputs, gates * hidden] and [hidden, gates * hidden]."));
                _w.Line(RecurrentKind(layer)!.TransposeForColumns(layer, "parameters", "columns") );
            }
        }
        _w.Line("#endif");
    }

    private void EmitSequenceFreeze()
    {
        string name = Spec.ClassName;
        const string baseType = "global::NetGen.FrozenSequenceNetwork<float>";
        _w.Line("/// <summary>");
        _w.Line("/// A snapshot of this network's parameters for fast stepping: its one-sequence Step reads a copy whose recurrent weight");
        _w.Line("/// matrices are input-major (on .NET 8+ with AVX-512). Later writes to Parameters reach it only through its Refresh().");
        _w.Line("/// Allocates the snapshot and compiles its step.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        _w.Line($"public {baseType} Freeze() => new Frozen(this);");
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line($"/// The snapshot Freeze() takes of {name}'s parameters. On .NET 8+ with AVX-512 its one-sequence Step reads a copy whose");
        _w.Line("/// recurrent weight matrices are laid out input-major, each input and h value broadcast into whole vectors of gate outputs");
        _w.Line("/// with no sums across lanes (RTNeural's layout), which the network itself cannot keep because Parameters is public and");
        _w.Line("/// PyTorch-shaped. Elsewhere, and for many sequences at once, it runs the network's own kernels over its plain copy.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        using (_w.Block($"private sealed class Frozen : {baseType}"))
        {
            _w.Line(Invariant($"private const int Inputs = {_plan.InputSize}, Outputs = {_plan.OutputSize}, States = {StateSize}, ParameterCount = {_plan.ParameterCount};"));
            _w.Line();
            EmitSnapshotCopies(_names.Contract("ISequenceNetwork"), "the recurrent steps run in registers",
                "One step on zeros compiles the step now rather than in the first frame (or audio callback) that uses it.",
                "float[] zeros = new float[Inputs + Outputs + States];",
                "Step(new global::System.ReadOnlySpan<float>(zeros, 0, Inputs), new global::System.Span<float>(zeros, Inputs, Outputs), new global::System.Span<float>(zeros, Inputs + Outputs, States));");
            _w.Line(Optimized);
            using (_w.Block("public override void Step(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, global::System.Span<float> state)"))
            {
                _w.Line("if (input.Length != Inputs) throw Kernels.WrongLength(nameof(input), Inputs, input.Length, \"InputSize\");");
                _w.Line("if (output.Length != Outputs) throw Kernels.WrongLength(nameof(output), Outputs, output.Length, \"OutputSize\");");
                _w.Line("if (state.Length != States) throw Kernels.WrongLength(nameof(state), States, state.Length, \"StateSize\");");
                _w.Line("#if NET8_0_OR_GREATER");
                using (_w.Block("if (_columns is not null)"))
                {
                    _w.Line("Kernels.StepOneColumns(new global::System.ReadOnlySpan<float>(_columns, _columnsStart, ParameterCount), _parameters, input, output, state);");
                    _w.Line("return;");
                }
                _w.Line("#endif");
                _w.Line("Kernels.StepOne(_parameters, input, output, state);");
            }
            _w.Line();
            _w.Line(Optimized);
            using (_w.Block("public override void Step(global::System.ReadOnlySpan<float> inputs, global::System.Span<float> outputs, global::System.Span<float> states, int batchSize)"))
            {
                _w.Line("if (batchSize < 1) throw Kernels.EmptyBatch(nameof(batchSize), batchSize);");
                _w.Line("if (inputs.Length != (long)batchSize * Inputs) throw Kernels.WrongLength(nameof(inputs), (long)batchSize * Inputs, inputs.Length, \"batchSize * InputSize\");");
                _w.Line("if (outputs.Length != (long)batchSize * Outputs) throw Kernels.WrongLength(nameof(outputs), (long)batchSize * Outputs, outputs.Length, \"batchSize * OutputSize\");");
                _w.Line("if (states.Length != (long)batchSize * States) throw Kernels.WrongLength(nameof(states), (long)batchSize * States, states.Length, \"batchSize * StateSize\");");
                _w.Line("Kernels.Step(_parameters, inputs, outputs, states, batchSize);");
            }
        }
        _w.Line();
    }

    /// <summary>
    /// What every snapshot class has: the network's Parameters (an array that never changes identity), the plain
    /// copy, the input-major copy where <paramref name="where"/>, the constructor (which takes both copies and then
    /// runs <paramref name="warmUp"/>: a call on zeros, so that Freeze() compiles the fast path) and Refresh().
    /// </summary>
    private void EmitSnapshotCopies(string contract, string where, string why, params string[] warmUp)
    {
        _w.Line("// The network's Parameters (an array that never changes identity), the plain copy, and the input-major copy");
        _w.Line($"// where {where}: pinned, from a 64-byte boundary at _columnsStart.");
        _w.Line("private readonly float[] _source;");
        _w.Line("private readonly float[] _parameters = new float[ParameterCount];");
        _w.Line("#if NET8_0_OR_GREATER");
        _w.Line("private readonly float[]? _columns;");
        _w.Line("private readonly int _columnsStart;");
        _w.Line("#endif");
        _w.Line();
        using (_w.Block($"public Frozen({contract} network) : base(network)"))
        {
            _w.Line("_source = network.Parameters;");
            _w.Line("#if NET8_0_OR_GREATER");
            using (_w.Block("if (Kernels.LanesAccelerated)"))
            {
                _w.Line($"_columns = Kernels.{KernelNames.AllocateAlignedColumns}(ParameterCount, out _columnsStart);");
            }
            _w.Line("#endif");
            _w.Line("Refresh();");
            _w.Line("// " + why);
            foreach (string line in warmUp)
            {
                _w.Line(line);
            }
        }
        _w.Line();
        using (_w.Block("public override void Refresh()"))
        {
            _w.Line("global::System.Array.Copy(_source, _parameters, ParameterCount);");
            _w.Line("#if NET8_0_OR_GREATER");
            using (_w.Block("if (_columns is not null)"))
            {
                _w.Line("Kernels.FillColumns(_parameters, new global::System.Span<float>(_columns, _columnsStart, ParameterCount));");
            }
            _w.Line("#endif");
        }
        _w.Line();
    }
}
