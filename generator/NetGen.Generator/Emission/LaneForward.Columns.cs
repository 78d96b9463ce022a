using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>
/// The frozen network's written-out forward (<c>ForwardInColumns</c>): the same steps as
/// <c>ForwardInLanes</c>, over a copy of the parameters in which every Linear layer that takes vectors and
/// gives vectors has its weight transposed, input-major ([inputs, outputs]). Each input is then broadcast
/// and multiplied into whole vectors of consecutive outputs: no sum across lanes per output, which was most
/// of a small layer's time once tanh was cheap (a 16-16-16-16 call: 52 ns with the lane sums, 29-41 ns
/// input-major in the prototype that measured it). A layer's inputs are broadcast from memory: the network's
/// input span for the first layer, a 64-byte-aligned stack buffer that the vectors of the layer before are
/// stored into for the others. A layer of one input (its weight a column either way) and the last layer
/// with scalar outputs (a width that fills no vector) keep ForwardInLanes's forms, over untransposed weights.
/// </summary>
internal static partial class LaneForward
{
    /// <summary>
    /// The most weights whose frozen forward is inlined into the snapshot's Forward (itself compiled fully
    /// optimised at its first call) rather than called: a call and its frame are a tenth of a 1-16-16-1 call.
    /// Measured on AMD EPYC (Zen 5), ns per call, three alternating processes each: 1-16-16-1 9.2-9.3 called,
    /// 8.65-8.82 inlined (benchmarks/results/2026-12-04-frozen-input-major.md). Larger networks keep the call, so
    /// that their long bodies never count against the snapshot method's own compile.
    /// </summary>
    public const int InlineBudget = 1_024;

    /// <summary>Whether <paramref name="step"/> reads input-major weights in the frozen forward.</summary>
    public static bool InputMajor(LaneStep step) => step.InputLanes > 0 && step.OutputLanes > 0;

    /// <summary>The Linear layers whose weight the frozen copy holds transposed: (offset, outputs, inputs) each.</summary>
    public static IEnumerable<(int Offset, int Outputs, int Inputs)> TransposedWeights(IReadOnlyList<LaneStep> steps)
        => steps.Where(InputMajor).Select(s => (WeightOffset(s.Linear), s.Outputs, s.Inputs));

    /// <summary>
    /// Independent partial sums per vector of outputs: enough chains of multiply-adds to cover their
    /// latency (4 cycles, 2 per cycle on the machines measured: 8 chains) without running out of registers.
    /// </summary>
    private static int Chains(int groups, int inputs) => System.Math.Min(inputs, groups >= 8 ? 1 : groups >= 4 ? 2 : 4);

    /// <summary>The input-major layers after the first: those whose inputs are vectors of the layer before, to be broadcast lane by lane.</summary>
    private static IEnumerable<LaneStep> FedByVectors(IReadOnlyList<LaneStep> steps) => steps.Skip(1).Where(InputMajor);

    /// <summary>
    /// Whether the vectors a layer's inputs come in are broadcast lane by lane from their register (a permute
    /// per input) rather than stored into a stack buffer and broadcast from memory. Measured on AMD EPYC (Zen 5),
    /// ns per call: the buffer costs its zeroing and alignment once per call, a permute costs more than a
    /// broadcast load per input, so registers pay only where a single layer of one vector is fed (1-16-16-1:
    /// 11.6 ns through the buffer, 10.0-11.2 from registers) and the buffer pays from two layers on
    /// (16-16-16-16: 29.2 ns through the buffer, 32.3-35.3 from registers; 8-8-8-8: 19.7 against 21.0).
    /// </summary>
    private static bool PermutesFromRegister(IReadOnlyList<LaneStep> steps)
        => FedByVectors(steps).Count() == 1 && FedByVectors(steps).All(s => s.Inputs <= s.InputLanes);

    /// <summary>Values the stage buffer holds: the widest input that a layer after the first broadcasts from it (0: no buffer).</summary>
    private static int StageWidth(IReadOnlyList<LaneStep> steps)
        => PermutesFromRegister(steps) ? 0 : FedByVectors(steps).Select(s => s.Inputs).DefaultIfEmpty(0).Max();

    /// <summary>The header's account of the frozen forward.</summary>
    public static IEnumerable<string> FrozenSummary(IReadOnlyList<LaneStep> steps)
    {
        var inputMajor = steps.Where(InputMajor).Select(s => Invariant($"{s.Linear.Number}")).ToList();
        if (inputMajor.Count == 0)
        {
            yield return "Freeze() gives a snapshot whose one-sample forward (ForwardInColumns) is the same: no layer here takes";
            yield return "and gives vectors, so every weight is read as above.";
            yield break;
        }
        bool one = inputMajor.Count == 1;
        yield return "Freeze() gives a snapshot whose one-sample forward (ForwardInColumns) is the same, except that "
            + (one ? $"layer {inputMajor[0]} reads" : $"layers {string.Join(", ", inputMajor)} read");
        yield return $"a copy of {(one ? "its" : "their")} weights laid out input-major: each input broadcast into whole vectors of outputs";
        yield return (PermutesFromRegister(steps) ? "from its register" : "from the input span or a 64-byte-aligned stack buffer") + ", no sums across lanes.";
    }

    /// <summary>The frozen forward, inside the nested Kernels class; <paramref name="steps"/> as for <see cref="EmitMethod"/>.</summary>
    public static void EmitColumnsMethod(CodeWriter w, IReadOnlyList<LaneStep> steps)
    {
        w.Line("#if NET8_0_OR_GREATER");
        w.Line("/// <summary>");
        w.Line("/// One sample's forward over a frozen copy of the parameters (FillColumns), written out in full for .NET 8+ where");
        w.Line("/// 512-bit vectors are accelerated: each input broadcast into whole vectors of outputs of input-major weights, so");
        w.Line("/// no sums across lanes. Spans and the copy are checked by the caller (unchecked loads).");
        w.Line("/// </summary>");
        w.Line(steps.Sum(s => s.Inputs * s.Outputs) <= InlineBudget
            ? "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]"
            : NetworkEmitter.Optimized);
        using (w.Block("public static void ForwardInColumns(global::System.ReadOnlySpan<float> p, global::System.ReadOnlySpan<float> input, global::System.Span<float> output)"))
        {
            w.Line("ref float w = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(p);");
            w.Line("ref float x = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(input);");
            w.Line("ref float y = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(output);");
            int stageWidth = StageWidth(steps);
            if (stageWidth > 0)
            {
                w.Line(Invariant($"// The vectors a layer's inputs are broadcast from, stored on a 64-byte boundary so that no store splits a cache line."));
                w.Line(Invariant($"global::System.Span<float> stageSpace = stackalloc float[{stageWidth} + ScratchPadding];"));
                w.Line(Invariant($"ref float stage = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(AlignedScratch(stageSpace, {stageWidth}));"));
            }
            LaneStep first = steps[0];
            List<string> current = new List<string>();
            if (first.InputLanes == 0)
            {
                w.Line("float x0 = x;");
                current.Add("x0");
            }
            else if (!InputMajor(first))
            {
                current = EmitInputVectors(w, first);
            }
            var blocks = new Stack<List<string>>();
            for (int s = 0; s < steps.Count; s++)
            {
                bool last = s == steps.Count - 1;
                current = InputMajor(steps[s])
                    ? EmitInputMajorStep(w, steps, steps[s], current, fromInput: s == 0, last)
                    : EmitStep(w, steps[s], current, last);
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

    /// <summary>
    /// The frozen copy's transposes, inside the nested Kernels class: <c>FillColumns</c> writes the parameters
    /// with every input-major weight transposed into <c>columns</c>.
    /// </summary>
    public static void EmitFillColumns(CodeWriter w, IReadOnlyList<LaneStep> steps)
    {
        w.Line("#if NET8_0_OR_GREATER");
        w.Line("/// <summary>The parameters as ForwardInColumns reads them: a copy, with the weights of the Linear layers it runs input-major transposed.</summary>");
        using (w.Block("public static void FillColumns(global::System.ReadOnlySpan<float> parameters, global::System.Span<float> columns)"))
        {
            w.Line("parameters.CopyTo(columns);");
            foreach (LaneStep step in steps.Where(InputMajor))
            {
                w.Line(Invariant($"// Layer {step.Linear.Number}, {step.Linear.DisplayText}: its weight, [{step.Outputs} outputs, {step.Inputs} inputs], stored transposed as [inputs, outputs]."));
                w.Line(Invariant($"{KernelNames.TransposeMatrix}(parameters, columns, {WeightOffset(step.Linear)}, {step.Outputs}, {step.Inputs});"));
            }
        }
        w.Line("#endif");
    }

    /// <summary>The first layer's inputs loaded into vectors (zero-padded to a whole vector, the weight rows' lanes past them masked); both written-out forwards' start.</summary>
    private static List<string> EmitInputVectors(CodeWriter w, LaneStep first)
    {
        var current = new List<string>();
        for (int c = 0; c < first.Inputs / first.InputLanes; c++)
        {
            string name = Invariant($"x{c}");
            w.Line(Invariant($"var {name} = {Vectors(first.InputLanes)}.LoadUnsafe(ref x, {c * first.InputLanes});"));
            current.Add(name);
        }
        if (first.PaddedInputs > first.Inputs)
        {
            // The input's last values and zeros up to a whole vector (the span ends at the input), and a mask
            // that keeps the same lanes of each weight row: the lanes past a row's end belong to the next row,
            // and zeroing them keeps a non-finite weight there out.
            int start = first.Inputs / first.InputLanes * first.InputLanes, real = first.Inputs - start;
            var values = Enumerable.Range(0, first.InputLanes).Select(k => k < real ? Invariant($"NetGenUnsafe.Add(ref x, {start + k})") : "0f");
            string name = Invariant($"x{start / first.InputLanes}");
            w.Line(Invariant($"// The input's last {real} values, padded with zeros to a whole vector; the weight rows' lanes past the input masked off."));
            w.Line($"var {name} = {Vectors(first.InputLanes)}.Create({string.Join(", ", values)});");
            var mask = Enumerable.Range(0, first.InputLanes).Select(k => k < real ? "-1" : "0");
            w.Line($"var {PaddingMask} = {Vectors(first.InputLanes)}.AsSingle({Vectors(first.InputLanes)}.Create({string.Join(", ", mask)}));");
            current.Add(name);
        }
        return current;
    }

    /// <summary>
    /// Emits an input-major step: the inputs (from the network's input span, or the previous layer's vectors
    /// stored into the stage) broadcast one at a time, each multiplied into every vector of outputs, spread
    /// over a few partial sums per vector; then the partial sums added in a tree, the bias, the activation.
    /// </summary>
    private static List<string> EmitInputMajorStep(CodeWriter w, IReadOnlyList<LaneStep> steps, LaneStep step, List<string> inputs, bool fromInput, bool last)
    {
        PlannedLayer layer = step.Linear;
        int lanes = step.OutputLanes, groups = step.Outputs / lanes, chains = Chains(groups, step.Inputs);
        int weight = WeightOffset(layer), bias = BiasOffset(layer);
        string v = Vectors(lanes);
        string activation = step.Activation is { } a ? ", then " + a.DisplayText : "";
        string source = fromInput ? "x" : "stage";
        w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}{activation}: each input broadcast into {groups} {Bits(lanes)} vector{(groups == 1 ? "" : "s")} of outputs (weights input-major), {chains} partial sum{(chains == 1 ? "" : "s")} per vector."));
        bool fromRegister = !fromInput && PermutesFromRegister(steps);
        if (!fromInput && !fromRegister)
        {
            var stores = new System.Text.StringBuilder();
            for (int c = 0; c < inputs.Count; c++)
            {
                stores.Append(c == 0 ? "" : " ").Append(Invariant($"{Vectors(step.InputLanes)}.StoreUnsafe({inputs[c]}, ref stage, {c * step.InputLanes});"));
            }
            w.Line(stores.ToString());
        }
        var outputs = last ? new List<string>() : Enumerable.Range(0, groups).Select(g => Invariant($"h{layer.Number}_{g}")).ToList();
        if (!last)
        {
            // Declared before the block that computes them, so that only they outlive it.
            w.Line($"{VectorType(lanes)} {string.Join(", ", outputs)};");
        }
        string Partial(int g, int k) => Invariant($"a{layer.Number}_{g}_{k}");
        using (w.Open())
        {
            for (int i = 0; i < step.Inputs; i++)
            {
                string broadcast = Invariant($"b{i}");
                string value = !fromRegister ? Invariant($"{v}.Create(NetGenUnsafe.Add(ref {source}, {i}))")
                    : lanes == 16 && step.InputLanes == 16 ? Invariant($"NetGenAvx512.PermuteVar16x32({inputs[0]}, NetGenV512.Create({i}))")
                    : lanes == 16 ? Invariant($"NetGenAvx512.PermuteVar16x32(NetGenV256.ToVector512Unsafe({inputs[0]}), NetGenV512.Create({i}))")
                    : step.InputLanes == 8 ? Invariant($"NetGenAvx2.PermuteVar8x32({inputs[0]}, NetGenV256.Create({i}))")
                    : Invariant($"NetGenV512.GetLower(NetGenAvx512.PermuteVar16x32({inputs[0]}, NetGenV512.Create({i})))");
                var line = new System.Text.StringBuilder(Invariant($"var {broadcast} = {value};"));
                for (int g = 0; g < groups; g++)
                {
                    string load = Invariant($"{v}.LoadUnsafe(ref w, {weight + (i * step.Outputs) + (g * lanes)})");
                    string partial = Partial(g, i % chains);
                    line.Append(' ').Append(i < chains
                        ? $"var {partial} = {load} * {broadcast};"
                        : $"{partial} = {MultiplyAdd(lanes)}({load}, {broadcast}, {partial});");
                }
                w.Line(line.ToString());
            }
            for (int g = 0; g < groups; g++)
            {
                var sums = Enumerable.Range(0, chains).Select(k => Partial(g, k)).ToList();
                while (sums.Count > 1)
                {
                    var next = new List<string>();
                    for (int k = 0; k + 1 < sums.Count; k += 2)
                    {
                        next.Add($"({sums[k]} + {sums[k + 1]})");
                    }
                    if (sums.Count % 2 == 1)
                    {
                        next.Add(sums[sums.Count - 1]);
                    }
                    sums = next;
                }
                string value = Activate(step.Activation, Invariant($"{sums[0]} + {v}.LoadUnsafe(ref w, {bias + (g * lanes)})"));
                if (last)
                {
                    w.Line(Invariant($"{v}.StoreUnsafe({value}, ref y, {g * lanes});"));
                }
                else
                {
                    w.Line($"{outputs[g]} = {value};");
                }
            }
        }
        return outputs;
    }
}
