using System.Linq;
using System.Collections.Generic;
using NetGen.Generator.Kinds;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>The inference members: Forward (one sample, a batch), a classifier's Predict, and the passes behind them.</summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>
    /// The pass one sample runs: sample-major, except in a deterministic network, where every batch runs
    /// feature-major so that the order of additions never depends on the vector width.
    /// </summary>
    private string SingleSamplePass => Spec.Deterministic ? "InferColumns" : "InferSamples";

    private void EmitInference()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span, t = _names.Element;
        _w.Line("/// <summary>Runs one sample through the network. Allocation-free; safe to call from many threads at once.</summary>");
        _w.Line($"/// <param name=\"input\">{Invariant($"{_plan.InputSize}")} values (InputSize).</param>");
        _w.Line($"/// <param name=\"output\">Receives {Invariant($"{_plan.OutputSize}")} values (OutputSize).</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Forward({rs} input, {span} output)"))
        {
            _w.Line("if (input.Length != InputSize) throw Kernels.WrongLength(nameof(input), InputSize, input.Length, \"InputSize\");");
            _w.Line("if (output.Length != OutputSize) throw Kernels.WrongLength(nameof(output), OutputSize, output.Length, \"OutputSize\");");
            EmitSingleSample("input", "output", returnsAfter: true);
        }
        _w.Line();
        _w.Line("/// <summary>Runs a sample-major batch through the network. Allocation-free in steady state; safe to call from many threads at once.</summary>");
        _w.Line("/// <param name=\"inputs\">batchSize * InputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"outputs\">Receives batchSize * OutputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"batchSize\">The number of samples, at least 1.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Forward({rs} inputs, {span} outputs, int batchSize)"))
        {
            _w.Line("if (batchSize < 1) throw Kernels.EmptyBatch(nameof(batchSize), batchSize);");
            _w.Line("if (inputs.Length != (long)batchSize * InputSize) throw Kernels.WrongLength(nameof(inputs), (long)batchSize * InputSize, inputs.Length, \"batchSize * InputSize\");");
            _w.Line("if (outputs.Length != (long)batchSize * OutputSize) throw Kernels.WrongLength(nameof(outputs), (long)batchSize * OutputSize, outputs.Length, \"batchSize * OutputSize\");");
            using (_w.Block($"if (Kernels.{KernelNames.UseColumns}(batchSize))"))
            {
                _w.Line($"Kernels.InferColumns({InferenceArguments}, inputs, outputs, batchSize);");
                _w.Line("return;");
            }
            _w.Line($"Kernels.InferSamples({InferenceArguments}, inputs, outputs, batchSize);");
        }
        _w.Line();
        if (Loss?.Classifies == true)
        {
            EmitPredict();
        }
    }

    /// <summary>A classifier's Predict: the index of the largest output for one sample.</summary>
    private void EmitPredict()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span, t = _names.Element;
        bool outputOnStack = (long)_plan.OutputSize * _plan.ElementBytes <= NetworkPlan.StackBudgetBytes;
        _w.Line("/// <summary>The index of the largest output for one sample (the first, on a tie). Allocation-free and thread-safe.</summary>");
        _w.Line($"/// <param name=\"input\">{Invariant($"{_plan.InputSize}")} values (InputSize).</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public int Predict({rs} input)"))
        {
            _w.Line("if (input.Length != InputSize) throw Kernels.WrongLength(nameof(input), InputSize, input.Length, \"InputSize\");");
            if (outputOnStack)
            {
                _w.Line($"{span} output = stackalloc {t}[OutputSize];");
                EmitSingleSample("input", "output", returnsAfter: false);
                _w.Line("return Kernels.ArgMax(output);");
            }
            else
            {
                _w.Line($"{t}[] output = {TypeNames.ArrayPool}<{t}>.Shared.Rent(OutputSize);");
                using (_w.Block("try"))
                {
                    _w.Line($"Kernels.{SingleSamplePass}({InferenceArguments}, input, new {span}(output, 0, OutputSize), 1);");
                    _w.Line($"return Kernels.ArgMax(new {rs}(output, 0, OutputSize));");
                }
                using (_w.Block("finally"))
                {
                    _w.Line($"{TypeNames.ArrayPool}<{t}>.Shared.Return(output);");
                }
            }
        }
        _w.Line();
    }

    /// <summary>One sample through the shared kernels' pass, or through the written-out forward where the network has one.</summary>
    private void EmitSingleSample(string input, string output, bool returnsAfter)
    {
        if (_lanes is null)
        {
            _w.Line($"Kernels.{SingleSamplePass}({InferenceArguments}, {input}, {output}, 1);");
            return;
        }
        LaneForward.EmitSingleSampleCall(_w, SingleSamplePass, input, output, returnsAfter);
    }

    /// <summary>Sample-major inference: chunks of samples through every layer, hidden activations in stack scratch.</summary>
    private void EmitInferSamples()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span, t = _names.Element;
        _w.Line("/// <summary>Sample-major inference: only the stack (or the shared array pool for very wide layers), never instance state.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"public static void InferSamples({InferenceParameters}, {rs} inputs, {span} outputs, int count)"))
        {
            _w.Line("int chunk = count < InferenceChunk ? count : InferenceChunk;");
            if (_plan.KernelWorkspace > 0 && (long)_plan.KernelWorkspace * _plan.ElementBytes > NetworkPlan.StackBudgetBytes)
            {
                _w.Line("// The convolutions' window matrices exceed the stack budget: rented from the shared pool.");
                _w.Line($"{t}[] kernelRented = {TypeNames.ArrayPool}<{t}>.Shared.Rent(KernelWorkspace);");
                using (_w.Block("try"))
                {
                    _w.Line($"{span} kw = kernelRented;");
                    EmitInferSamplesBody();
                }
                using (_w.Block("finally"))
                {
                    _w.Line($"{TypeNames.ArrayPool}<{t}>.Shared.Return(kernelRented);");
                }
                return;
            }
            if (_plan.KernelWorkspace > 0)
            {
                _w.Line("// The convolutions' window matrices, one region that every layer reuses.");
                _w.Line($"{span} kw = stackalloc {t}[KernelWorkspace];");
            }
            EmitInferSamplesBody();
        }
    }

    /// <summary>Sample-major inference after its chunk size: the scratch, then the loop over chunks.</summary>
    private void EmitInferSamplesBody()
    {
        string span = _names.Span, t = _names.Element;
        if (_plan.ScratchBuffers == 0)
        {
            EmitInferSamplesLoop();
            return;
        }
        string scratchLength = _plan.ScratchBuffers == 1 ? "chunk * ScratchWidth" : Invariant($"chunk * ScratchWidth * {_plan.ScratchBuffers}");
        if (!_plan.ScratchNeedsPool)
        {
            _w.Line($"{span} scratch = stackalloc {t}[{scratchLength}];");
            EmitInferSamplesLoop();
            return;
        }
        _w.Line("// One sample's activations exceed the stack budget: rent from the shared pool (no steady-state allocation).");
        _w.Line($"{t}[] rented = {TypeNames.ArrayPool}<{t}>.Shared.Rent({scratchLength});");
        using (_w.Block("try"))
        {
            _w.Line($"{span} scratch = rented;");
            EmitInferSamplesLoop();
        }
        using (_w.Block("finally"))
        {
            _w.Line($"{TypeNames.ArrayPool}<{t}>.Shared.Return(rented);");
        }
    }

    private void EmitInferSamplesLoop()
    {
        using (_w.Block("for (int start = 0; start < count; start += chunk)"))
        {
            _w.Line("int n = count - start < chunk ? count - start : chunk;");
            _w.Line(Invariant($"{_names.ReadOnlySpan} x = inputs.Slice(start * {_plan.InputSize}, n * {_plan.InputSize});"));
            _w.Line(Invariant($"{_names.Span} y = outputs.Slice(start * {_plan.OutputSize}, n * {_plan.OutputSize});"));
            for (int index = 0; index < _plan.Layers.Count; index++)
            {
                PlannedLayer layer = _plan.Layers[index];
                InferenceBuffer current = RowBufferOf(layer.Sources[0]);
                InferenceBuffer target = _plan.RowBuffers[index];
                LayerDefinition definition = LayerCatalog.For(layer.Layer.Kind);
                if (definition.AliasesSource)
                {
                    _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: the block's input stays in {Describe(current)} until its join adds it back."));
                    continue;
                }
                string? second = layer.Sources.Count > 1 ? RowSpan(RowBufferOf(layer.Sources[1]), layer.Inputs) : null;
                string how = (current == target ? "in place on " + Describe(target) : Describe(current) + " -> " + Describe(target))
                    + (second is null ? "" : ", adding " + Describe(RowBufferOf(layer.Sources[1])));
                _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: {how}"));
                _w.Lines(definition.Forward(new ForwardCall(layer, Layout.Rows, RowSpan(current, layer.Inputs), RowSpan(target, layer.Outputs), "n", _plan, second)));
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
        string rs = _names.ReadOnlySpan, span = _names.Span, t = _names.Element;
        _w.Line("/// <summary>Feature-major inference: scratch on the stack, or rented from the shared pool when large; never instance state.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"public static void InferColumns({InferenceParameters}, {rs} inputs, {span} outputs, int count)"))
        {
            _w.Line("int chunk = count < ColumnChunk ? count : ColumnChunk;");
            int buffers = _plan.ColumnBufferCount + (_plan.ForwardNeedsSampleMajorCopies ? 2 : 0);
            _w.Line(_plan.FeatureMajorInferenceNeedsKernelWorkspace
                ? Invariant($"int length = ({buffers} * chunk * MaxWidth) + KernelWorkspace;")
                : Invariant($"int length = {buffers} * chunk * MaxWidth;"));
            _w.Line($"{t}[]? rented = null;");
            _w.Line("// 64 bytes more than the passes use, to start them on a 64-byte boundary: the kernels load whole 512-bit rows.");
            _w.Line("int padded = length + ScratchPadding;");
            _w.Line(Invariant($"{span} scratch = length * sizeof({t}) <= {NetworkPlan.StackBudgetBytes} ? stackalloc {t}[padded] : (rented = {TypeNames.ArrayPool}<{t}>.Shared.Rent(padded));"));
            _w.Line($"scratch = {KernelNames.AlignedScratch}(scratch, length);");
            using (_w.Block("try"))
            {
                for (int buffer = 0; buffer < _plan.ColumnBufferCount; buffer++)
                {
                    string start = buffer == 0 ? "0" : buffer == 1 ? "chunk * MaxWidth" : Invariant($"{buffer} * chunk * MaxWidth");
                    _w.Line($"{span} {ColumnBufferName(buffer)} = scratch.Slice({start}, chunk * MaxWidth);");
                }
                if (_plan.ForwardNeedsSampleMajorCopies)
                {
                    _w.Line("// Sample-major copies for the layers whose forward runs between transposes.");
                    _w.Line(Invariant($"{span} t1 = scratch.Slice({_plan.ColumnBufferCount} * chunk * MaxWidth, chunk * MaxWidth);"));
                    _w.Line(Invariant($"{span} t2 = scratch.Slice({_plan.ColumnBufferCount + 1} * chunk * MaxWidth, chunk * MaxWidth);"));
                }
                if (_plan.FeatureMajorInferenceNeedsKernelWorkspace)
                {
                    _w.Line(Invariant($"{span} kw = scratch.Slice({buffers} * chunk * MaxWidth, KernelWorkspace);"));
                }
                using (_w.Block("for (int start = 0; start < count; start += chunk)"))
                {
                    _w.Line("int n = count - start < chunk ? count - start : chunk;");
                    _w.Line("// The chunk's input, transposed: feature i of sample s at [i * n + s].");
                    _w.Line(Invariant($"{KernelNames.Transpose}(inputs.Slice(start * {_plan.InputSize}, n * {_plan.InputSize}), first, n, {_plan.InputSize});"));
                    string current = ColumnBufferName(0);
                    for (int index = 0; index < _plan.Layers.Count; index++)
                    {
                        PlannedLayer layer = _plan.Layers[index];
                        current = ColumnBufferOf(layer.Sources[0]);
                        string target = ColumnBufferName(_plan.ColumnBuffers[index].Scratch);
                        LayerDefinition definition = LayerCatalog.For(layer.Layer.Kind);
                        if (definition.AliasesSource)
                        {
                            _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: the block's input stays in {current} until its join adds it back."));
                            continue;
                        }
                        if (ReLUFusesIntoSource(index))
                        {
                            _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: applied by layer {_plan.Layers[index - 1].Number} as it stores into {target}"));
                            current = target;
                            continue;
                        }
                        string source = Invariant($"{current}.Slice(0, n * {layer.Inputs})");
                        string destination = Invariant($"{target}.Slice(0, n * {layer.Outputs})");
                        string? second = layer.Sources.Count > 1 ? Invariant($"{ColumnBufferOf(layer.Sources[1])}.Slice(0, n * {layer.Inputs})") : null;
                        bool fusedReLU = index + 1 < _plan.Layers.Count && ReLUFusesIntoSource(index + 1);
                        _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}{(fusedReLU ? " and the ReLU after it" : "")}: {(target == current ? "in place on " + current : current + " -> " + target)}{(second is null ? "" : ", adding " + ColumnBufferOf(layer.Sources[1]))}"));
                        _w.Lines(definition.Forward(new ForwardCall(layer, Layout.Columns, source, destination, "n", _plan, second, fusedReLU)));
                        current = target;
                    }
                    _w.Line("// Back to sample-major in the caller's outputs.");
                    _w.Line(Invariant($"{KernelNames.Transpose}({current}.Slice(0, n * {_plan.OutputSize}), outputs.Slice(start * {_plan.OutputSize}, n * {_plan.OutputSize}), {_plan.OutputSize}, n);"));
                }
            }
            using (_w.Block("finally"))
            {
                _w.Line($"if (rented != null) {TypeNames.ArrayPool}<{t}>.Shared.Return(rented);");
            }
        }
    }

    /// <summary>The layers whose feature-major inference stores apply the ReLU after them, for Describe(): "layers 1, 4", or empty.</summary>
    private string FusedReLUText()
    {
        var numbers = new List<string>();
        for (int index = 1; index < _plan.Layers.Count; index++)
        {
            if (ReLUFusesIntoSource(index))
            {
                numbers.Add(Invariant($"{_plan.Layers[index - 1].Number}"));
            }
        }
        return numbers.Count == 0 ? "" : (numbers.Count == 1 ? "layer " : "layers ") + string.Join(", ", numbers);
    }

    /// <summary>
    /// Whether the ReLU at <paramref name="index"/> is applied, in feature-major inference, by the layer before
    /// it as that layer stores its sums (one pass over the activations fewer, the same values): the ReLU reads
    /// that layer alone and in place, nothing else reads the values before ReLU, and the layer's kind has such
    /// a kernel (Linear, the convolutions). Training keeps the two passes: its backward reads both values.
    /// </summary>
    private bool ReLUFusesIntoSource(int index)
    {
        PlannedLayer relu = _plan.Layers[index];
        if (relu.Layer.Kind != LayerKind.ReLU || relu.Sources.Count != 1 || relu.Sources[0] != index - 1 || index == 0)
        {
            return false;
        }
        int source = index - 1;
        if (_plan.ColumnBuffers[index].Scratch != _plan.ColumnBuffers[source].Scratch || !LayerCatalog.For(_plan.Layers[source].Layer.Kind).FusesReLUInColumns)
        {
            return false;
        }
        for (int other = 0; other < _plan.Layers.Count; other++)
        {
            if (other != index && _plan.Layers[other].Sources.Contains(source))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The buffer a sample-major node reads: the input's, or the node's that made it.</summary>
    private InferenceBuffer RowBufferOf(int node) => node == NetworkPlan.NetworkInput ? InferenceBuffer.Input : _plan.RowBuffers[node];

    /// <summary>The feature-major buffer a node reads: the input's transposed copy, or the node's that made it.</summary>
    private string ColumnBufferOf(int node) => node == NetworkPlan.NetworkInput ? ColumnBufferName(0) : ColumnBufferName(_plan.ColumnBuffers[node].Scratch);

    /// <summary>Feature-major buffers by number, as the pass names its locals.</summary>
    private static string ColumnBufferName(int number) => number switch
    {
        0 => "first",
        1 => "second",
        2 => "third",
        3 => "fourth",
        _ => Invariant($"buffer{number + 1}"),
    };

    private static string Describe(InferenceBuffer buffer) => buffer.Kind switch
    {
        InferenceBufferKind.Input => "input",
        InferenceBufferKind.Output => "output",
        InferenceBufferKind.Scratch => "scratch " + (char)('A' + buffer.Scratch),
        _ => throw new System.ArgumentOutOfRangeException(nameof(buffer), buffer, "No such buffer."),
    };

    private static string RowSpan(InferenceBuffer buffer, int width) => buffer.Kind switch
    {
        InferenceBufferKind.Input => "x",
        InferenceBufferKind.Output => "y",
        InferenceBufferKind.Scratch when buffer.Scratch == 0 => Invariant($"scratch.Slice(0, n * {width})"),
        InferenceBufferKind.Scratch when buffer.Scratch == 1 => Invariant($"scratch.Slice(chunk * ScratchWidth, n * {width})"),
        InferenceBufferKind.Scratch => Invariant($"scratch.Slice(chunk * ScratchWidth * {buffer.Scratch}, n * {width})"),
        _ => throw new System.ArgumentOutOfRangeException(nameof(buffer), buffer, "No such buffer."),
    };
}
