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
        _w.Line("/// <summary>");
        _w.Line("/// A snapshot of this network's parameters for fast one-sample inference (see <see cref=\"Frozen\"/>): later writes to");
        _w.Line("/// Parameters reach it only through <see cref=\"Frozen.Refresh\"/>. Allocates the snapshot and compiles its forward.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        _w.Line("public Frozen Freeze() => new Frozen(this);");
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line($"/// An inference-only snapshot of a {name}'s parameters, taken by <see cref=\"Freeze\"/> and again by <see cref=\"Refresh\"/>.");
        _w.Line("/// On .NET 8+ with AVX-512 its one-sample Forward reads a copy whose Linear weights are laid out input-major, each");
        _w.Line("/// input broadcast into whole vectors of outputs with no sums across lanes (RTNeural's layout), which the network");
        _w.Line("/// itself cannot keep because Parameters is public and PyTorch-shaped. Elsewhere it runs the network's own passes over");
        _w.Line("/// its copy. Outputs equal the network's to rounding (the sums run in another order). Forward, Predict and the");
        _w.Line("/// batch Forward are allocation-free and thread-safe; Refresh is allocation-free but must not run while another thread");
        _w.Line("/// calls this snapshot.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        using (_w.Block("public sealed class Frozen"))
        {
            _w.Line($"private readonly {name} _network;");
            _w.Line("private readonly float[] _parameters = new float[ParameterCount];");
            _w.Line("#if NET8_0_OR_GREATER");
            _w.Line("// The input-major copy, where the written-out forward can run: pinned, from a 64-byte boundary at _columnsStart.");
            _w.Line("private readonly float[]? _columns;");
            _w.Line("private readonly int _columnsStart;");
            _w.Line("#endif");
            _w.Line();
            using (_w.Block($"internal Frozen({name} network)"))
            {
                _w.Line("_network = network;");
                _w.Line("#if NET8_0_OR_GREATER");
                using (_w.Block("if (Kernels.LanesAccelerated)"))
                {
                    _w.Line($"_columns = Kernels.{KernelNames.AllocateAlignedColumns}(ParameterCount, out _columnsStart);");
                }
                _w.Line("#endif");
                _w.Line("Refresh();");
                _w.Line("// One call on zeros compiles the forward now rather than in the first frame that uses it.");
                _w.Line("global::System.Span<float> zeros = stackalloc float[InputSize + OutputSize];");
                _w.Line("Forward(zeros.Slice(0, InputSize), zeros.Slice(InputSize));");
            }
            _w.Line();
            _w.Line("/// <summary>The network this snapshot was taken from.</summary>");
            _w.Line($"public {name} Network => _network;");
            _w.Line();
            _w.Line("/// <summary>Takes the snapshot again from the network's current Parameters. Allocation-free; not while another thread calls this snapshot.</summary>");
            using (_w.Block("public void Refresh()"))
            {
                _w.Line("global::System.Array.Copy(_network.Parameters, _parameters, ParameterCount);");
                _w.Line("#if NET8_0_OR_GREATER");
                using (_w.Block("if (_columns is not null)"))
                {
                    _w.Line("Kernels.FillColumns(_parameters, new global::System.Span<float>(_columns, _columnsStart, ParameterCount));");
                }
                _w.Line("#endif");
            }
            _w.Line();
            _w.Line("/// <summary>Runs one sample through the snapshot. Allocation-free; safe to call from many threads at once.</summary>");
            _w.Line($"/// <param name=\"input\">{Invariant($"{_plan.InputSize}")} values (InputSize).</param>");
            _w.Line($"/// <param name=\"output\">Receives {Invariant($"{_plan.OutputSize}")} values (OutputSize).</param>");
            using (_w.Block("public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output)"))
            {
                _w.Line("if (input.Length != InputSize) throw Kernels.WrongLength(nameof(input), InputSize, input.Length, \"InputSize\");");
                _w.Line("if (output.Length != OutputSize) throw Kernels.WrongLength(nameof(output), OutputSize, output.Length, \"OutputSize\");");
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
            _w.Line("/// <summary>Runs a sample-major batch through the snapshot, as the network's batch Forward does. Allocation-free in steady state; thread-safe.</summary>");
            _w.Line("/// <param name=\"inputs\">batchSize * InputSize values, sample after sample.</param>");
            _w.Line("/// <param name=\"outputs\">Receives batchSize * OutputSize values, sample after sample.</param>");
            _w.Line("/// <param name=\"batchSize\">The number of samples, at least 1.</param>");
            using (_w.Block("public void Forward(global::System.ReadOnlySpan<float> inputs, global::System.Span<float> outputs, int batchSize)"))
            {
                _w.Line("if (batchSize < 1) throw Kernels.EmptyBatch(nameof(batchSize), batchSize);");
                _w.Line("if (inputs.Length != (long)batchSize * InputSize) throw Kernels.WrongLength(nameof(inputs), (long)batchSize * InputSize, inputs.Length, \"batchSize * InputSize\");");
                _w.Line("if (outputs.Length != (long)batchSize * OutputSize) throw Kernels.WrongLength(nameof(outputs), (long)batchSize * OutputSize, outputs.Length, \"batchSize * OutputSize\");");
                using (_w.Block($"if (Kernels.{KernelNames.UseColumns}(batchSize))"))
                {
                    _w.Line("Kernels.InferColumns(_parameters, inputs, outputs, batchSize);");
                    _w.Line("return;");
                }
                _w.Line("Kernels.InferSamples(_parameters, inputs, outputs, batchSize);");
            }
            if (Loss?.Classifies == true)
            {
                _w.Line();
                _w.Line("/// <summary>The index of the largest output for one sample (the first, on a tie). Allocation-free and thread-safe.</summary>");
                _w.Line($"/// <param name=\"input\">{Invariant($"{_plan.InputSize}")} values (InputSize).</param>");
                using (_w.Block("public int Predict(global::System.ReadOnlySpan<float> input)"))
                {
                    _w.Line("global::System.Span<float> output = stackalloc float[OutputSize];");
                    _w.Line("Forward(input, output);");
                    _w.Line("return Kernels.ArgMax(output);");
                }
            }
        }
        _w.Line();
    }
}
