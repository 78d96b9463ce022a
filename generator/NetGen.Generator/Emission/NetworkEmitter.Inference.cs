using NetGen.Generator.Model;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>The inference members: Forward (one sample, a batch), Predict, and the passes behind them.</summary>
internal sealed partial class NetworkEmitter
{
    private const string Pool = "global::System.Buffers.ArrayPool";

    private void EmitInference()
    {
        _w.Line("/// <summary>Runs one sample through the network. Allocation-free; safe to call from many threads at once.</summary>");
        _w.Line($"/// <param name=\"input\">{Invariant($"{_plan.InputSize}")} values (InputSize).</param>");
        _w.Line($"/// <param name=\"output\">Receives {Invariant($"{_plan.OutputSize}")} values (OutputSize).</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Forward({Span(true)} input, {Span(false)} output)"))
        {
            _w.Line($"if (input.Length != InputSize) throw {Errors}.WrongLength(nameof(input), InputSize, input.Length, \"InputSize\");");
            _w.Line($"if (output.Length != OutputSize) throw {Errors}.WrongLength(nameof(output), OutputSize, output.Length, \"OutputSize\");");
            _w.Line("InferSamples(input, output, 1);");
        }
        _w.Line();
        _w.Line("/// <summary>Runs a sample-major batch through the network. Allocation-free in steady state; safe to call from many threads at once.</summary>");
        _w.Line("/// <param name=\"inputs\">batchSize * InputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"outputs\">Receives batchSize * OutputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"batchSize\">The number of samples, at least 1.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Forward({Span(true)} inputs, {Span(false)} outputs, int batchSize)"))
        {
            _w.Line($"if (batchSize < 1) throw {Errors}.EmptyBatch(nameof(batchSize), batchSize);");
            _w.Line($"if (inputs.Length != (long)batchSize * InputSize) throw {Errors}.WrongLength(nameof(inputs), (long)batchSize * InputSize, inputs.Length, \"batchSize * InputSize\");");
            _w.Line($"if (outputs.Length != (long)batchSize * OutputSize) throw {Errors}.WrongLength(nameof(outputs), (long)batchSize * OutputSize, outputs.Length, \"batchSize * OutputSize\");");
            using (_w.Block("if (UseColumns(batchSize))"))
            {
                _w.Line("InferColumns(inputs, outputs, batchSize);");
                _w.Line("return;");
            }
            _w.Line("InferSamples(inputs, outputs, batchSize);");
        }
        _w.Line();
        bool outputOnStack = (long)_plan.OutputSize * _plan.ElementBytes <= NetworkPlan.StackBudgetBytes;
        _w.Line("/// <summary>The index of the largest output for one sample (the first, on a tie). Allocation-free and thread-safe.</summary>");
        _w.Line($"/// <param name=\"input\">{Invariant($"{_plan.InputSize}")} values (InputSize).</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public int Predict({Span(true)} input)"))
        {
            _w.Line($"if (input.Length != InputSize) throw {Errors}.WrongLength(nameof(input), InputSize, input.Length, \"InputSize\");");
            if (outputOnStack)
            {
                _w.Line($"{Span(false)} output = stackalloc {_t}[OutputSize];");
                _w.Line("InferSamples(input, output, 1);");
                _w.Line("return ArgMax(output);");
            }
            else
            {
                _w.Line($"{_t}[] output = {Pool}<{_t}>.Shared.Rent(OutputSize);");
                using (_w.Block("try"))
                {
                    _w.Line($"InferSamples(input, new {Span(false)}(output, 0, OutputSize), 1);");
                    _w.Line($"return ArgMax(new {Span(true)}(output, 0, OutputSize));");
                }
                using (_w.Block("finally"))
                {
                    _w.Line($"{Pool}<{_t}>.Shared.Return(output);");
                }
            }
        }
        _w.Line();
        _w.Line(GeneratedCode);
        using (_w.Block($"private static int ArgMax({Span(true)} values)"))
        {
            _w.Line("int best = 0;");
            using (_w.Block("for (int k = 1; k < values.Length; k++)"))
            {
                _w.Line("if (values[k] > values[best]) best = k;");
            }
            _w.Line("return best;");
        }
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// Whether a batch runs feature-major: with at least one vector of samples, samples fill the vector lanes and");
        _w.Line("/// each weight is loaded once per block of samples; below that, and without hardware vectors, sample by sample.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        _w.Line($"private static bool UseColumns(int count) => global::System.Numerics.Vector.IsHardwareAccelerated && count >= {Vector}.Count;");
        _w.Line();
        EmitInferSamples();
        _w.Line();
        EmitInferColumns();
        _w.Line();
    }

    /// <summary>Sample-major inference: chunks of samples through every layer, hidden activations in stack scratch.</summary>
    private void EmitInferSamples()
    {
        _w.Line("/// <summary>Sample-major inference on validated spans: only the stack (or the shared array pool for very wide layers) and Parameters, never instance state.</summary>");
        _w.Line(GeneratedCode);
        using (_w.Block($"private void InferSamples({Span(true)} inputs, {Span(false)} outputs, int count)"))
        {
            _w.Line($"{Span(true)} p = Parameters;");
            _w.Line("int chunk = count < InferenceChunk ? count : InferenceChunk;");
            if (_plan.ScratchBuffers == 0)
            {
                EmitInferSamplesLoop();
                return;
            }
            string scratchLength = _plan.ScratchBuffers == 1 ? "chunk * ScratchWidth" : Invariant($"chunk * ScratchWidth * {_plan.ScratchBuffers}");
            if (!_plan.ScratchNeedsPool)
            {
                _w.Line($"{Span(false)} scratch = stackalloc {_t}[{scratchLength}];");
                EmitInferSamplesLoop();
                return;
            }
            _w.Line("// One sample's activations exceed the stack budget: rent from the shared pool (no steady-state allocation).");
            _w.Line($"{_t}[] rented = {Pool}<{_t}>.Shared.Rent({scratchLength});");
            using (_w.Block("try"))
            {
                _w.Line($"{Span(false)} scratch = rented;");
                EmitInferSamplesLoop();
            }
            using (_w.Block("finally"))
            {
                _w.Line($"{Pool}<{_t}>.Shared.Return(rented);");
            }
        }
    }

    private void EmitInferSamplesLoop()
    {
        using (_w.Block("for (int start = 0; start < count; start += chunk)"))
        {
            _w.Line("int n = count - start < chunk ? count - start : chunk;");
            _w.Line($"{Span(true)} x = inputs.Slice(start * InputSize, n * InputSize);");
            _w.Line($"{Span(false)} y = outputs.Slice(start * OutputSize, n * OutputSize);");
            Buffer current = Buffer.Input;
            for (int index = 0; index < _plan.Layers.Count; index++)
            {
                PlannedLayer layer = _plan.Layers[index];
                Buffer target = _plan.InferenceTargets[index];
                string source = InferenceBuffer(current, layer.Inputs);
                string destination = InferenceBuffer(target, layer.Outputs);
                string how = current == target ? "in place on " + Describe(target) : Describe(current) + " -> " + Describe(target);
                _w.Line(Invariant($"// Layer {layer.Number}, {layer.Layer.DisplayText}: {how}"));
                _w.Line(LayerForwardCall(layer, source, destination, "n", columns: false));
                current = target;
            }
        }
    }

    /// <summary>
    /// Feature-major inference: each chunk of samples is transposed in, runs through every layer with the
    /// samples along the vector lanes (two buffers, Linear layers alternating between them, activations
    /// in place), and is transposed out.
    /// </summary>
    private void EmitInferColumns()
    {
        _w.Line("/// <summary>Feature-major inference on validated spans: scratch on the stack, or rented from the shared pool when large; never instance state.</summary>");
        _w.Line(GeneratedCode);
        using (_w.Block($"private void InferColumns({Span(true)} inputs, {Span(false)} outputs, int count)"))
        {
            _w.Line($"{Span(true)} p = Parameters;");
            _w.Line("int chunk = count < ColumnChunk ? count : ColumnChunk;");
            _w.Line("int length = 2 * chunk * MaxWidth;");
            _w.Line($"{_t}[]? rented = null;");
            _w.Line(Invariant($"{Span(false)} scratch = length * sizeof({_t}) <= {NetworkPlan.StackBudgetBytes} ? stackalloc {_t}[length] : (rented = {Pool}<{_t}>.Shared.Rent(length));"));
            using (_w.Block("try"))
            {
                _w.Line($"{Span(false)} first = scratch.Slice(0, chunk * MaxWidth);");
                _w.Line($"{Span(false)} second = scratch.Slice(chunk * MaxWidth, chunk * MaxWidth);");
                using (_w.Block("for (int start = 0; start < count; start += chunk)"))
                {
                    _w.Line("int n = count - start < chunk ? count - start : chunk;");
                    _w.Line("// The chunk's input, transposed: feature i of sample s at [i * n + s].");
                    _w.Line("global::NetGen.Runtime.Simd.Transpose(inputs.Slice(start * InputSize, n * InputSize), first, n, InputSize);");
                    string current = "first";
                    foreach (PlannedLayer layer in _plan.Layers)
                    {
                        string source = Invariant($"{current}.Slice(0, n * {layer.Inputs})");
                        string target = current;
                        if (layer.Layer.IsLinear)
                        {
                            target = current == "first" ? "second" : "first";
                        }
                        string destination = Invariant($"{target}.Slice(0, n * {layer.Outputs})");
                        _w.Line(Invariant($"// Layer {layer.Number}, {layer.Layer.DisplayText}: {(target == current ? "in place on " + current : current + " -> " + target)}"));
                        _w.Line(LayerForwardCall(layer, source, destination, "n", columns: true));
                        current = target;
                    }
                    _w.Line("// Back to sample-major in the caller's outputs.");
                    _w.Line(Invariant($"global::NetGen.Runtime.Simd.Transpose({current}.Slice(0, n * OutputSize), outputs.Slice(start * OutputSize, n * OutputSize), OutputSize, n);"));
                }
            }
            using (_w.Block("finally"))
            {
                _w.Line($"if (rented != null) {Pool}<{_t}>.Shared.Return(rented);");
            }
        }
    }

    private static string Describe(Buffer buffer) => buffer switch
    {
        Buffer.Input => "input",
        Buffer.Output => "output",
        Buffer.ScratchA => "scratch A",
        _ => "scratch B",
    };

    private static string InferenceBuffer(Buffer buffer, int width) => buffer switch
    {
        Buffer.Input => "x",
        Buffer.Output => "y",
        Buffer.ScratchA => Invariant($"scratch.Slice(0, n * {width})"),
        _ => Invariant($"scratch.Slice(chunk * ScratchWidth, n * {width})"),
    };

    private static string LayerForwardCall(PlannedLayer layer, string source, string destination, string count, bool columns) => layer.Layer.Kind switch
    {
        LayerKind.Linear => Invariant($"ForwardLayer{layer.Number}{(columns ? "Columns" : "")}(p, {source}, {destination}, {count});"),
        LayerKind.ReLU => Invariant($"ReLUForward({source}, {destination});"),
        _ => Invariant($"SoftmaxForward{(columns ? "Columns" : "")}({source}, {destination}, {count}, {layer.Outputs});"),
    };
}
