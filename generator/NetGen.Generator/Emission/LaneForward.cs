using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>
/// One Linear layer of the written-out forward, with the activation that follows it (if any), and how
/// its input and output are held: in vectors of <see cref="InputLanes"/> and <see cref="OutputLanes"/>
/// lanes (16: 512-bit, 8: 256-bit), or as scalars (0: only the network's input of one value, or its
/// output when the last layer's width is not a multiple of 8). A network input whose width is no
/// multiple of 8 is held padded with zeros to whole 256-bit vectors (<see cref="PaddedInputs"/>).
/// </summary>
internal sealed record LaneStep(PlannedLayer Linear, PlannedLayer? Activation, int InputLanes, int OutputLanes)
{
    public int Inputs => Linear.Inputs;

    public int Outputs => Linear.Outputs;

    /// <summary>The input's width rounded up to whole vectors: more than <see cref="Inputs"/> only for a network input padded with zeros.</summary>
    public int PaddedInputs => InputLanes == 0 ? Inputs : (Inputs + InputLanes - 1) / InputLanes * InputLanes;

    /// <summary>Whether a Softmax follows the network's last Linear (computed over the stored outputs).</summary>
    public bool Softmax { get; init; }

    /// <summary>What follows the layer (and its activation) before the next Linear: a LayerNorm, an activation, a residual block's start or join.</summary>
    public IReadOnlyList<PlannedLayer> After { get; init; } = System.Array.Empty<PlannedLayer>();
}

/// <summary>
/// The single-sample forward of a small float network written out in full as one method (.NET 8+, where
/// 512-bit vectors are accelerated): no call per layer, every activation in vector registers, each vector
/// holding consecutive outputs of a layer ("output lanes"), so the next layer's products need no staging
/// in memory. The weights stay in PyTorch's row-major layout (the public contract of <c>Parameters</c>,
/// which users may write at any time, so no transposed copy could be trusted): each output's row is
/// multiplied by the input vectors, and a group of 8 or 16 such rows is summed across lanes by a
/// transposing tree whose first levels shuffle within 128-bit blocks (<c>LanePairSums</c>,
/// <c>LaneQuadSums</c>, then <c>LaneBlockSums</c>), which delivers the group's outputs in one vector, in
/// order, instead of one horizontal sum per output. Between the Linear layers: the activations
/// (ReLU, LeakyReLU, Tanh, Sigmoid, SiLU), LayerNorm (its mean and variance summed across the layer's
/// vectors, in float), residual blocks (the block's input vectors kept for the join's add) and Dropout
/// (the identity in evaluation mode, which is what Forward runs). An input of any width (zero-padded to
/// whole vectors, each weight row's lanes past it masked off) and an output of any width (scalars, the
/// activation applied to them in one vector) are taken. Everything else (other element types,
/// deterministic networks, other layer kinds or widths, machines without AVX-512, netstandard builds)
/// keeps the shared kernels.
/// </summary>
internal static partial class LaneForward
{
    /// <summary>
    /// The most weights a written-out forward holds. Measured on AMD EPYC (Zen 5), one sample per call
    /// (benchmarks/NetGen.Benchmarks, RTNeuralShapes): 64-64-64-64 (12,288 weights) written out runs in
    /// about a third of the shared kernels' time; beyond this the generated method passes 150,000
    /// characters and the JIT's time to compile it (tens of milliseconds on the first call) outweighs
    /// what it saves, while the shared kernels' per-layer overhead matters less on larger layers.
    /// </summary>
    public const int WeightBudget = 16_384;

    /// <summary>The written-out steps for <paramref name="plan"/>, or null when the network keeps the shared kernels.</summary>
    public static IReadOnlyList<LaneStep>? Plan(NetworkPlan plan)
    {
        if (plan.Spec.ElementType != ElementType.Float || plan.Spec.Deterministic)
        {
            return null;
        }
        if (plan.Layers.Where(l => l.Layer.Kind == LayerKind.Linear).Sum(l => (long)l.Inputs * l.Outputs) > WeightBudget)
        {
            return null;
        }
        var steps = new List<LaneStep>();
        // One input is broadcast; any other width runs in vectors, padded to whole 256-bit ones if need be.
        int inputLanes = plan.InputSize == 1 ? 0 : Lanes(plan.InputSize) is int lanes and > 0 ? lanes : 8;
        for (int index = 0; index < plan.Layers.Count; index++)
        {
            PlannedLayer layer = plan.Layers[index];
            if (layer.Layer.Kind != LayerKind.Linear)
            {
                return null;    // an activation before the first Linear, or two in a row
            }
            PlannedLayer? activation = null;
            if (index + 1 < plan.Layers.Count && IsActivation(plan.Layers[index + 1].Layer.Kind))
            {
                activation = plan.Layers[++index];
            }
            // A LayerNorm, an activation, a residual block's start or join, a dropout may follow, before the next Linear.
            var after = new List<PlannedLayer>();
            while (index + 1 < plan.Layers.Count && (IsActivation(plan.Layers[index + 1].Layer.Kind)
                || plan.Layers[index + 1].Layer.Kind is LayerKind.LayerNorm or LayerKind.Residual or LayerKind.EndResidual or LayerKind.Dropout))
            {
                after.Add(plan.Layers[++index]);
            }
            // A classifier's Softmax, the network's last layer, straight after its last Linear: the shared
            // kernel's softmax runs over the outputs once they are stored (a call, but no vector is live then).
            bool softmax = false;
            if (activation is null && after.Count == 0 && index + 2 == plan.Layers.Count && plan.Layers[index + 1].Layer.Kind == LayerKind.Softmax)
            {
                softmax = true;
                index++;
            }
            if (index + 1 < plan.Layers.Count && plan.Layers[index + 1].Layer.Kind != LayerKind.Linear)
            {
                return null;    // a kind the written-out forward has no form for
            }
            bool last = index == plan.Layers.Count - 1;
            if (last && after.Count > 0)
            {
                return null;    // the last Linear stores straight into the output
            }
            int outputLanes = Lanes(layer.Outputs);
            if (outputLanes < 0)
            {
                // Scalar outputs only as the network's output, straight into the caller's span.
                if (!last)
                {
                    return null;
                }
                outputLanes = 0;
            }
            if (inputLanes == 0 && outputLanes == 0)
            {
                return null;    // one input and a width that is no multiple of 8: nothing for vectors to do
            }
            var step = new LaneStep(layer, activation, inputLanes, outputLanes) { After = after, Softmax = softmax };
            // A padded input's last chunk reads past each row into the next (or into what follows the
            // weights); that load must stay inside the parameters.
            if (step.PaddedInputs > step.Inputs && WeightOffset(layer) + ((long)(step.Outputs - 1) * step.Inputs) + step.PaddedInputs > plan.ParameterCount)
            {
                return null;
            }
            steps.Add(step);
            inputLanes = outputLanes;
        }
        return steps;
    }

    /// <summary>The elementwise activations the written-out forward computes on its vectors.</summary>
    private static bool IsActivation(LayerKind kind) => kind is LayerKind.ReLU or LayerKind.LeakyReLU or LayerKind.Tanh or LayerKind.Sigmoid or LayerKind.SiLU;

    /// <summary>Where a Linear layer's weight starts in the parameters (its tensor named as the layout table names it).</summary>
    private static int WeightOffset(PlannedLayer linear) => TensorOffset(linear, "weight");

    /// <summary>Where a Linear layer's bias starts in the parameters.</summary>
    private static int BiasOffset(PlannedLayer linear) => TensorOffset(linear, "bias");

    private static int TensorOffset(PlannedLayer layer, string name) => layer.Tensors.Single(t => t.Layout.Name == name).Offset;

    /// <summary>Lanes per vector for an activation of <paramref name="width"/> values: 16, 8, or -1 for neither.</summary>
    private static int Lanes(int width) => width % 16 == 0 ? 16 : width % 8 == 0 ? 8 : -1;

    /// <summary>The type aliases the written-out forward spells, at the top of the file (prefixed so that no user type can capture them).</summary>
    public static void EmitUsings(CodeWriter w)
    {
        w.Line("#if NET8_0_OR_GREATER");
        w.Line("using NetGenV512 = global::System.Runtime.Intrinsics.Vector512;");
        w.Line("using NetGenV256 = global::System.Runtime.Intrinsics.Vector256;");
        w.Line("using NetGenAvx512 = global::System.Runtime.Intrinsics.X86.Avx512F;");
        w.Line("using NetGenFma = global::System.Runtime.Intrinsics.X86.Fma;");
        w.Line("using NetGenAvx2 = global::System.Runtime.Intrinsics.X86.Avx2;");
        w.Line("using NetGenUnsafe = global::System.Runtime.CompilerServices.Unsafe;");
        w.Line("#endif");
        w.Line();
    }

    /// <summary>
    /// The single-sample call in Forward and Predict: the written-out forward where it can run, then the
    /// shared kernels' sample-major pass (the lines after the #if) everywhere else.
    /// </summary>
    public static void EmitSingleSampleCall(CodeWriter w, string pass, string input, string output, bool returnsAfter)
    {
        w.Line("#if NET8_0_OR_GREATER");
        using (w.Block("if (Kernels.LanesAccelerated)"))
        {
            w.Line($"Kernels.ForwardInLanes(Parameters, {input}, {output});");
            if (returnsAfter)
            {
                w.Line("return;");
            }
        }
        if (!returnsAfter)
        {
            using (w.Block("else"))
            {
                w.Line($"Kernels.{pass}(Parameters, {input}, {output}, 1);");
            }
            w.Line("#else");
            w.Line($"Kernels.{pass}(Parameters, {input}, {output}, 1);");
            w.Line("#endif");
            return;
        }
        w.Line("#endif");
        w.Line($"Kernels.{pass}(Parameters, {input}, {output}, 1);");
    }

    /// <summary>The header's account of the written-out forward, layer by layer.</summary>
    public static IEnumerable<string> Summary(IReadOnlyList<LaneStep> steps)
    {
        yield return "One sample, on .NET 8+ with AVX-512: the whole forward written out in ForwardInLanes, activations in";
        yield return "vector registers, each vector holding consecutive outputs of a layer (output lanes):";
        foreach (LaneStep step in steps)
        {
            yield return "  " + Describe(step);
            if (step.Softmax)
            {
                yield return "  " + Invariant($"layer {step.Linear.Number + 1}, Softmax: the shared kernel's, over the stored outputs");
            }
            foreach (PlannedLayer layer in step.After)
            {
                yield return "  " + Invariant($"layer {layer.Number}, {layer.DisplayText}") + (layer.Layer.Kind switch
                {
                    LayerKind.LayerNorm => ": mean and variance across the vectors, in float",
                    LayerKind.Residual => ": the block's input kept in its vectors",
                    LayerKind.EndResidual => ": the block's input added, vector by vector",
                    LayerKind.Dropout => ": nothing to do (Forward runs in evaluation mode)",
                    _ => ": on the vectors",
                });
            }
        }
    }

    private static string Describe(LaneStep step)
    {
        string layer = Invariant($"layer {step.Linear.Number}, {step.Linear.DisplayText}") + (step.Activation is { } a ? " + " + a.DisplayText : "");
        if (step.PaddedInputs > step.Inputs)
        {
            layer += Invariant($" (its {step.Inputs} inputs padded with zeros to {step.PaddedInputs})");
        }
        if (step.InputLanes == 0)
        {
            return layer + Invariant($": the input broadcast into {Bits(step.OutputLanes)} vectors of weights (a column: one input)");
        }
        string rows = Invariant($"{Bits(step.InputLanes)} rows");
        return step.OutputLanes == 0
            ? layer + $": {rows}, one horizontal sum per output"
            : layer + Invariant($": {rows} summed across lanes into {Bits(step.OutputLanes)} vectors of {step.OutputLanes} outputs");
    }

    private static string Bits(int lanes) => Invariant($"{lanes * 32}-bit");

    /// <summary>The written-out method, inside the nested Kernels class (whose base gives the lane sums, LaneTanh and LaneReLU).</summary>
    public static void EmitMethod(CodeWriter w, IReadOnlyList<LaneStep> steps)
    {
        w.Line("#if NET8_0_OR_GREATER");
        w.Line("/// <summary>");
        w.Line("/// One sample's forward written out in full, for .NET 8+ where 512-bit vectors are accelerated: activations");
        w.Line("/// stay in registers, each vector holding consecutive outputs of a layer. Each output's weight row is");
        w.Line("/// multiplied by the input vectors; the lane sums then add a group of rows across lanes, leaving the group's");
        w.Line("/// outputs in one vector, in order. Spans and Parameters are checked by the caller (unchecked loads).");
        w.Line("/// </summary>");
        w.Line(NetworkEmitter.Optimized);
        using (w.Block("public static void ForwardInLanes(float[] p, global::System.ReadOnlySpan<float> input, global::System.Span<float> output)"))
        {
            w.Line("ref float w = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(p);");
            w.Line("ref float x = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(input);");
            w.Line("ref float y = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(output);");
            LaneStep first = steps[0];
            List<string> current;
            if (first.InputLanes == 0)
            {
                w.Line("float x0 = x;");
                current = new List<string> { "x0" };
            }
            else
            {
                current = EmitInputVectors(w, first);
            }
            var blocks = new Stack<List<string>>();
            for (int s = 0; s < steps.Count; s++)
            {
                current = EmitStep(w, steps[s], current, s == steps.Count - 1);
                foreach (PlannedLayer layer in steps[s].After)
                {
                    current = EmitAfter(w, layer, current, steps[s].OutputLanes, blocks);
                }
            }
            LaneStep final = steps[steps.Count - 1];
            if (final.Softmax)
            {
                w.Line(Invariant($"// Layer {final.Linear.Number + 1}, Softmax: the shared kernel's, over the stored outputs (the same bits as the shared path)."));
                w.Line(Invariant($"{KernelNames.SoftmaxForward}(output, output, 1, {final.Outputs});"));
            }
        }
        w.Line("#endif");
    }

    /// <summary>The mask that keeps the real lanes of a padded input's last chunk of each weight row.</summary>
    private const string PaddingMask = "inputMask";

    private static string Vectors(int lanes) => lanes == 16 ? "NetGenV512" : "NetGenV256";

    private static string VectorType(int lanes) => lanes == 16 ? "global::System.Runtime.Intrinsics.Vector512<float>" : "global::System.Runtime.Intrinsics.Vector256<float>";

    private static string MultiplyAdd(int lanes) => lanes == 16 ? "NetGenAvx512.FusedMultiplyAdd" : "NetGenFma.MultiplyAdd";

    private static string Load(int lanes, int offset) => Invariant($"{Vectors(lanes)}.LoadUnsafe(ref w, {offset})");

    private static string Activate(PlannedLayer? activation, string value) => activation?.Layer.Kind switch
    {
        null => value,
        LayerKind.ReLU => $"{KernelNames.LaneReLU}({value})",
        LayerKind.LeakyReLU => $"{KernelNames.LaneLeakyReLU}({value}, {Kinds.LeakyReLULayer.FloatLiteral(activation.Layer.Slope)})",
        LayerKind.Tanh => $"{KernelNames.LaneTanh}({value})",
        LayerKind.Sigmoid => $"{KernelNames.LaneSigmoid}({value})",
        LayerKind.SiLU => $"{KernelNames.LaneSiLU}({value})",
        _ => throw new System.ArgumentOutOfRangeException(nameof(activation), activation.Layer.Kind, "Not an activation the written-out forward computes."),
    };

    /// <summary>Emits one step; returns the names of the vectors (or scalars) holding its output.</summary>
    private static List<string> EmitStep(CodeWriter w, LaneStep step, List<string> inputs, bool last)
    {
        PlannedLayer layer = step.Linear;
        string activation = step.Activation is { } a ? ", then " + a.DisplayText : "";
        var outputs = new List<string>();
        if (step.InputLanes == 0)
        {
            w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}{activation}: one input, so the weights (a column) times it, in {Bits(step.OutputLanes)} vectors."));
            string broadcast = Invariant($"x0v");
            w.Line($"var {broadcast} = {Vectors(step.OutputLanes)}.Create(x0);");
            for (int g = 0; g < step.Outputs / step.OutputLanes; g++)
            {
                int o = g * step.OutputLanes;
                string value = $"{MultiplyAdd(step.OutputLanes)}({Load(step.OutputLanes, WeightOffset(layer) + o)}, {broadcast}, {Load(step.OutputLanes, BiasOffset(layer) + o)})";
                outputs.Add(EmitResult(w, step, g, Activate(step.Activation, value), last));
            }
            return outputs;
        }
        int chunks = step.PaddedInputs / step.InputLanes;
        if (step.OutputLanes == 0)
        {
            if (step.Activation is null)
            {
                w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: each output's row times the input, summed across lanes, plus its bias."));
                for (int o = 0; o < step.Outputs; o++)
                {
                    string row = Row(step, o, inputs, chunks);
                    w.Line(Invariant($"NetGenUnsafe.Add(ref y, {o}) = {KernelNames.LaneTotal}({row}) + NetGenUnsafe.Add(ref w, {BiasOffset(layer) + o});"));
                }
                return outputs;
            }
            // The sums of up to 8 outputs at a time gathered into one vector (zeros past the last), the
            // activation computed on it, its lanes stored.
            w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}{activation}: each output's row times the input, summed across lanes, plus its bias; the activation on up to 8 sums at once."));
            for (int first = 0; first < step.Outputs; first += 8)
            {
                int count = System.Math.Min(8, step.Outputs - first);
                using (w.Open())
                {
                    var sums = new List<string>();
                    for (int k = 0; k < count; k++)
                    {
                        int o = first + k;
                        w.Line(Invariant($"float s{k} = {KernelNames.LaneTotal}({Row(step, o, inputs, chunks)}) + NetGenUnsafe.Add(ref w, {BiasOffset(layer) + o});"));
                        sums.Add(Invariant($"s{k}"));
                    }
                    sums.AddRange(Enumerable.Repeat("0f", 8 - count));
                    w.Line($"var a = {Activate(step.Activation, $"NetGenV256.Create({string.Join(", ", sums)})")};");
                    for (int k = 0; k < count; k++)
                    {
                        w.Line(Invariant($"NetGenUnsafe.Add(ref y, {first + k}) = NetGenV256.GetElement(a, {k});"));
                    }
                }
            }
            return outputs;
        }
        w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}{activation}: per {step.OutputLanes} outputs, their rows times the input in {Bits(step.InputLanes)} vectors, summed across lanes."));
        for (int g = 0; g < step.Outputs / step.OutputLanes; g++)
        {
            int firstOutput = g * step.OutputLanes;
            string result = last ? "" : Invariant($"h{layer.Number}_{g}");
            if (!last)
            {
                w.Line($"{VectorType(step.OutputLanes)} {result};");
            }
            using (w.Open())
            {
                var rows = new List<string>();
                for (int k = 0; k < step.OutputLanes; k++)
                {
                    string name = Invariant($"r{k}");
                    w.Line($"var {name} = {Row(step, firstOutput + k, inputs, chunks)};");
                    rows.Add(name);
                }
                string sum = EmitSumTree(w, rows, step.InputLanes, step.OutputLanes);
                string value = Activate(step.Activation, $"{sum} + {Load(step.OutputLanes, BiasOffset(layer) + firstOutput)}");
                if (last)
                {
                    w.Line(Invariant($"{Vectors(step.OutputLanes)}.StoreUnsafe({value}, ref y, {firstOutput});"));
                }
                else
                {
                    w.Line($"{result} = {value};");
                }
            }
            if (!last)
            {
                outputs.Add(result);
            }
        }
        return outputs;
    }

    /// <summary>
    /// Emits a layer that follows a Linear in the written-out forward, on the vectors <paramref name="values"/>
    /// of <paramref name="lanes"/> lanes; returns the vectors holding its output. A block's start keeps its
    /// input's vectors (they are never overwritten: every layer names new ones), its join adds them.
    /// </summary>
    private static List<string> EmitAfter(CodeWriter w, PlannedLayer layer, List<string> values, int lanes, Stack<List<string>> blocks)
    {
        string v = Vectors(lanes);
        var outputs = new List<string>();
        switch (layer.Layer.Kind)
        {
            case LayerKind.Residual:
                w.Line(Invariant($"// Layer {layer.Number}, Residual: the block's input stays in its vectors for the join."));
                blocks.Push(values);
                return values;
            case LayerKind.EndResidual:
                w.Line(Invariant($"// Layer {layer.Number}, EndResidual: the block's input added."));
                List<string> input = blocks.Pop();
                for (int g = 0; g < values.Count; g++)
                {
                    string name = Invariant($"h{layer.Number}_{g}");
                    w.Line($"var {name} = {values[g]} + {input[g]};");
                    outputs.Add(name);
                }
                return outputs;
            case LayerKind.Dropout:
                w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: the identity, since Forward runs in evaluation mode."));
                return values;
            case LayerKind.ReLU or LayerKind.LeakyReLU or LayerKind.Tanh or LayerKind.Sigmoid or LayerKind.SiLU:
                w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}."));
                for (int g = 0; g < values.Count; g++)
                {
                    string name = Invariant($"h{layer.Number}_{g}");
                    w.Line($"var {name} = {Activate(layer, values[g])};");
                    outputs.Add(name);
                }
                return outputs;
            case LayerKind.LayerNorm:
                int width = values.Count * lanes;
                int weight = TensorOffset(layer, "weight"), bias = TensorOffset(layer, "bias");
                string n = Invariant($"n{layer.Number}");
                w.Line(Invariant($"// Layer {layer.Number}, LayerNorm: the mean and variance of its {width} values across the vectors (in float), then weight and bias."));
                w.Line(Invariant($"float {n}Mean = {KernelNames.LaneTotal}({string.Join(" + ", values)}) * (1f / {width});"));
                w.Line($"var {n}M = {v}.Create({n}Mean);");
                var centred = new List<string>();
                for (int g = 0; g < values.Count; g++)
                {
                    string name = Invariant($"{n}C{g}");
                    w.Line($"var {name} = {values[g]} - {n}M;");
                    centred.Add(name);
                }
                w.Line(Invariant($"float {n}Inverse = 1f / global::System.MathF.Sqrt(({KernelNames.LaneTotal}({string.Join(" + ", centred.Select(c => $"{c} * {c}"))}) * (1f / {width})) + 1e-5f);"));
                w.Line($"var {n}R = {v}.Create({n}Inverse);");
                for (int g = 0; g < values.Count; g++)
                {
                    string name = Invariant($"h{layer.Number}_{g}");
                    w.Line($"var {name} = {MultiplyAdd(lanes)}({centred[g]} * {n}R, {Load(lanes, weight + (g * lanes))}, {Load(lanes, bias + (g * lanes))});");
                    outputs.Add(name);
                }
                return outputs;
            default:
                throw new System.ArgumentOutOfRangeException(nameof(layer), layer.Layer.Kind, "The lane planner admits no other kind here.");
        }
    }

    /// <summary>A group result outside a block (the one-input layer): a named vector, or a store into the output.</summary>
    private static string EmitResult(CodeWriter w, LaneStep step, int group, string value, bool last)
    {
        if (last)
        {
            w.Line(Invariant($"{Vectors(step.OutputLanes)}.StoreUnsafe({value}, ref y, {group * step.OutputLanes});"));
            return "";
        }
        string name = Invariant($"h{step.Linear.Number}_{group}");
        w.Line($"var {name} = {value};");
        return name;
    }

    /// <summary>Output <paramref name="o"/>'s row times the input, lane by lane: one multiply, then a multiply-add per further vector.</summary>
    private static string Row(LaneStep step, int o, List<string> inputs, int chunks)
    {
        int lanes = step.InputLanes;
        int rowStart = WeightOffset(step.Linear) + (o * step.Inputs);
        bool padded = step.PaddedInputs > step.Inputs;
        string Chunk(int c) => padded && c == chunks - 1 ? $"({Load(lanes, rowStart + (c * lanes))} & {PaddingMask})" : Load(lanes, rowStart + (c * lanes));
        string value = $"{Chunk(0)} * {inputs[0]}";
        for (int c = 1; c < chunks; c++)
        {
            value = $"{MultiplyAdd(lanes)}({Chunk(c)}, {inputs[c]}, {value})";
        }
        return value;
    }

    /// <summary>
    /// Adds <paramref name="rows"/> (one per output, <paramref name="rowLanes"/> lanes each) across lanes
    /// into one vector of <paramref name="outputLanes"/> outputs, in order; returns its expression. Pairs of
    /// rows, then fours, within 128-bit blocks (LanePairSums, LaneQuadSums: cheap shuffles), then the last
    /// levels across blocks (LaneBlockSums).
    /// </summary>
    private static string EmitSumTree(CodeWriter w, List<string> rows, int rowLanes, int outputLanes)
    {
        if (rows.Count != outputLanes)
        {
            throw new System.ArgumentException(Invariant($"A group of {outputLanes} outputs has {rows.Count} rows."), nameof(rows));
        }
        if (rowLanes == 8 && outputLanes == 16)
        {
            // 256-bit rows, 16 outputs: each half of the rows into 8 sums, the two halves joined.
            string low = EmitFours(w, rows.Take(8).ToList(), "l");
            string high = EmitFours(w, rows.Skip(8).ToList(), "u");
            return $"NetGenV512.Create({KernelNames.LaneBlockSums}({low}), {KernelNames.LaneBlockSums}({high}))";
        }
        // 512-bit rows into 16 or 8 sums, or 256-bit rows into 8.
        return $"{KernelNames.LaneBlockSums}({EmitFours(w, rows, "s")})";
    }

    /// <summary>The first two levels: each four rows to one vector of their per-block sums; returns the vectors, comma-separated.</summary>
    private static string EmitFours(CodeWriter w, List<string> rows, string prefix)
    {
        var pairs = new List<string>();
        var line = new System.Text.StringBuilder();
        for (int k = 0; k < rows.Count; k += 2)
        {
            string name = Invariant($"{prefix}1_{k / 2}");
            line.Append(line.Length == 0 ? "" : " ").Append($"var {name} = {KernelNames.LanePairSums}({rows[k]}, {rows[k + 1]});");
            pairs.Add(name);
        }
        w.Line(line.ToString());
        var fours = new List<string>();
        line.Clear();
        for (int k = 0; k < pairs.Count; k += 2)
        {
            string name = Invariant($"{prefix}2_{k / 2}");
            line.Append(line.Length == 0 ? "" : " ").Append($"var {name} = {KernelNames.LaneQuadSums}({pairs[k]}, {pairs[k + 1]});");
            fours.Add(name);
        }
        w.Line(line.ToString());
        return string.Join(", ", fours);
    }
}
