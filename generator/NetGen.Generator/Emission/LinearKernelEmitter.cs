using System.Collections.Generic;
using NetGen.Generator.Model;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>
/// Emits the three kernels of one Linear layer, each specialised to its sizes and parameter offsets:
/// forward <c>y = W x + b</c>, the parameter gradients <c>dW = sum delta x^T</c> and
/// <c>db = sum delta</c>, and the input gradient <c>dx = W^T delta</c>.
/// <para>
/// Every kernel keeps a register block of accumulators (up to 12 vectors) so that each value loaded
/// from memory feeds several fused multiply-adds, loops over the remaining dimension with constant
/// bounds, and finishes the part that does not fill a whole vector with a scalar tail, so that it is
/// right for every <c>Vector&lt;T&gt;.Count</c>. A plain scalar twin runs where vectors are not
/// hardware-accelerated (older Unity, Mono), since emulated vectors are far slower than scalars.
/// </para>
/// </summary>
internal sealed class LinearKernelEmitter
{
    // Register blocks: forward takes 3 samples x 4 output rows (12 dot-product accumulators); the
    // gradient kernels take 4 rows x 3 vectors (12 accumulators), one broadcast feeding 3 FMAs.
    private const int ForwardSamples = 3;
    private const int ForwardRows = 4;

    // One sample alone has no sample to share a weight load with; 8 rows keep 8 independent FMA chains
    // in flight instead, enough to hide the FMA latency while the weights stream in.
    private const int SingleSampleRows = 8;
    private const int GradientRows = 4;
    private const int GradientVectors = 3;

    // Feature-major (column) kernels for batches: samples run along the vector lanes, so 6 rows x 2
    // vectors of samples keep 12 accumulators, and each broadcast weight feeds 2 FMAs, each loaded
    // activation vector 6.
    private const int ColumnRows = 6;
    private const int ColumnVectors = 2;

    /// <summary>Row blocks written out one after another at most, unless the user asked for full unrolling.</summary>
    private const int MaxUnrolledBlocks = 4;

    private readonly CodeWriter _w;
    private readonly NetworkPlan _plan;
    private readonly string _t;
    private string _vector;

    // False while emitting the Vector<T> kernels; true while emitting their 512-bit twins, which
    // sit behind #if NET8_0_OR_GREATER and run where Vector512 is accelerated but Vector<T> is narrower.
    private bool _wide;
    private readonly string _zero;

    public LinearKernelEmitter(CodeWriter writer, NetworkPlan plan)
    {
        _w = writer;
        _plan = plan;
        _t = plan.T;
        _vector = $"global::System.Numerics.Vector<{_t}>";
        _zero = _t == "float" ? "0f" : "0d";
    }

    private string Simd => _wide ? "global::NetGen.Runtime.Simd512" : "global::NetGen.Runtime.Simd";

    private string Wide => _wide ? "512" : "";

    private string WidePhrase => _wide ? ", in 512-bit vectors" : "";
    private const string GeneratedCode = NetworkEmitter.GeneratedCodeAttribute;

    public void EmitAll(PlannedLayer layer, bool needsInputGradient)
    {
        EmitForward(layer);
        _w.Line();
        EmitForwardScalar(layer);
        _w.Line();
        EmitForwardColumns(layer);
        _w.Line();
        EmitParameterGradients(layer);
        _w.Line();
        EmitParameterGradientsScalar(layer);
        if (needsInputGradient)
        {
            _w.Line();
            EmitInputGradient(layer);
            _w.Line();
            EmitInputGradientScalar(layer);
            _w.Line();
            EmitInputGradientColumns(layer);
        }

        // The batch kernels again on 512-bit vectors, for .NET 8 and later (netstandard2.1 has no Vector512).
        _w.Line();
        _w.Line("#if NET8_0_OR_GREATER");
        string narrow = _vector;
        _wide = true;
        _vector = $"global::System.Runtime.Intrinsics.Vector512<{_t}>";
        EmitForwardColumns(layer);
        _w.Line();
        EmitParameterGradients(layer);
        if (needsInputGradient)
        {
            _w.Line();
            EmitInputGradientColumns(layer);
        }
        _wide = false;
        _vector = narrow;
        _w.Line("#endif");
    }

    /// <summary>In a Vector&lt;T&gt; kernel: hand over to its 512-bit twin where that is wider and accelerated.</summary>
    private void EmitWideDispatch(string call)
    {
        if (_wide)
        {
            return;
        }
        _w.Line("#if NET8_0_OR_GREATER");
        using (_w.Block($"if (global::NetGen.Runtime.Simd512.IsWorthwhile<{_t}>())"))
        {
            _w.Line(call);
            _w.Line("return;");
        }
        _w.Line("#endif");
    }

    // ---- feature-major batch kernels -------------------------------------------------------------

    /// <summary>
    /// Forward for a batch held feature-major (<c>xT[i * count + s]</c>): <c>yT = W xT + b</c>. Each
    /// weight is broadcast once per 2 vectors of samples, so the weights stream once per block of
    /// samples rather than once per sample.
    /// </summary>
    private void EmitForwardColumns(PlannedLayer layer)
    {
        _w.Line(Invariant($"/// <summary>Layer {layer.Number}, {layer.Layer.DisplayText}, for a feature-major batch{WidePhrase}: yT = W xT + b, samples along the vector lanes. {Where(layer)}</summary>"));
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void ForwardLayer{layer.Number}Columns{Wide}({Span(true)} p, {Span(true)} xT, {Span(false)} yT, int count)"))
        {
            EmitWideDispatch($"ForwardLayer{layer.Number}Columns512(p, xT, yT, count);");
            ForEachRowBlock(layer, ColumnRows, rows => EmitColumnsRowBlock(
                rows,
                rowOffset: r => r == 0 ? Sum(layer.WeightOffset, $"o * {layer.Inputs}") : Invariant($"w{r - 1} + {layer.Inputs}"),
                reduce: layer.Inputs,
                weightIndex: "w{0} + i",
                source: "xT",
                sourceRow: "i",
                target: "yT",
                targetRow: r => Sum("o", r),
                bias: r => Sum(layer.BiasOffset, "o", r)));
        }
    }

    /// <summary>
    /// The input gradient for a feature-major batch: <c>dxT = W^T deltaT</c>. Rows of dxT are columns of
    /// W; a block of 6 of them reads 6 neighbouring weights of each row of W.
    /// </summary>
    private void EmitInputGradientColumns(PlannedLayer layer)
    {
        var transposed = layer with { Layer = layer.Layer with { Inputs = layer.Outputs, Outputs = layer.Inputs }, Unrolled = layer.Unrolled };
        _w.Line(Invariant($"/// <summary>Layer {layer.Number}, {layer.Layer.DisplayText}, for a feature-major batch{WidePhrase}: dxT = W^T deltaT, samples along the vector lanes. {Where(layer)}</summary>"));
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void BackwardLayer{layer.Number}InputsColumns{Wide}({Span(true)} p, {Span(true)} deltaT, {Span(false)} dxT, int count)"))
        {
            EmitWideDispatch($"BackwardLayer{layer.Number}InputsColumns512(p, deltaT, dxT, count);");
            _w.Line("// Here o runs over the layer's inputs (the rows of dxT) and i over its outputs.");
            ForEachRowBlock(transposed, ColumnRows, rows => EmitColumnsRowBlock(
                rows,
                rowOffset: r => r == 0 ? Sum(layer.WeightOffset, "o") : Invariant($"w0 + {r}"),
                reduce: layer.Outputs,
                weightIndex: Invariant($"w{{0}} + i * {layer.Inputs}"),
                source: "deltaT",
                sourceRow: "i",
                target: "dxT",
                targetRow: r => Sum("o", r),
                bias: null));
        }
    }

    /// <summary>
    /// One block of <paramref name="rows"/> output rows over the whole batch: 2 vectors of samples at a
    /// time, then 1, then single samples. <paramref name="weightIndex"/> is a format with {0} for the row.
    /// </summary>
    private void EmitColumnsRowBlock(int rows, System.Func<int, string> rowOffset, int reduce, string weightIndex, string source, string sourceRow,
        string target, System.Func<int, string> targetRow, System.Func<int, string>? bias)
    {
        var offsets = new List<string>();
        for (int r = 0; r < rows; r++)
        {
            offsets.Add($"w{r} = {rowOffset(r)}");
        }
        _w.Line($"int {string.Join(", ", offsets)};");
        _w.Line("int s = 0;");
        using (_w.Block($"for (; s + {ColumnVectors} * {_vector}.Count <= count; s += {ColumnVectors} * {_vector}.Count)"))
        {
            EmitColumnsBlock(rows, ColumnVectors, reduce, weightIndex, source, sourceRow, target, targetRow, bias);
        }
        using (_w.Block($"for (; s + {_vector}.Count <= count; s += {_vector}.Count)"))
        {
            EmitColumnsBlock(rows, 1, reduce, weightIndex, source, sourceRow, target, targetRow, bias);
        }
        using (_w.Block("for (; s < count; s++)"))
        {
            _w.Line($"{_t} {string.Join(", ", Names("c", rows, r => $"c{r} = {(bias is null ? _zero : $"p[{bias(r)}]")}"))};");
            using (_w.Block(Invariant($"for (int i = 0; i < {reduce}; i++)")))
            {
                _w.Line($"{_t} u = {source}[{sourceRow} * count + s];");
                for (int r = 0; r < rows; r++)
                {
                    _w.Line($"c{r} += p[{string.Format(System.Globalization.CultureInfo.InvariantCulture, weightIndex, r)}] * u;");
                }
            }
            for (int r = 0; r < rows; r++)
            {
                _w.Line($"{target}[({targetRow(r)}) * count + s] = c{r};");
            }
        }
    }

    private void EmitColumnsBlock(int rows, int vectors, int reduce, string weightIndex, string source, string sourceRow,
        string target, System.Func<int, string> targetRow, System.Func<int, string>? bias)
    {
        var accumulators = new List<string>();
        for (int r = 0; r < rows; r++)
        {
            for (int v = 0; v < vectors; v++)
            {
                accumulators.Add($"a{r}{v} = default");
            }
        }
        _w.Line($"{_vector} {string.Join(", ", accumulators)};");
        using (_w.Block(Invariant($"for (int i = 0; i < {reduce}; i++)")))
        {
            _w.Line($"int column = {sourceRow} * count + s;");
            for (int v = 0; v < vectors; v++)
            {
                _w.Line($"var v{v} = {Simd}.Load({source}, column{(v == 0 ? "" : Invariant($" + {v} * {_vector}.Count"))});");
            }
            for (int r = 0; r < rows; r++)
            {
                _w.Line($"{(r == 0 ? "var " : "")}b = {Simd}.Broadcast(p, {string.Format(System.Globalization.CultureInfo.InvariantCulture, weightIndex, r)});");
                for (int v = 0; v < vectors; v++)
                {
                    _w.Line($"a{r}{v} = {Simd}.MultiplyAdd(b, v{v}, a{r}{v});");
                }
            }
        }
        for (int r = 0; r < rows; r++)
        {
            if (bias is not null)
            {
                _w.Line($"{(r == 0 ? "var " : "")}bias = {Simd}.Broadcast(p, {bias(r)});");
            }
            for (int v = 0; v < vectors; v++)
            {
                string value = bias is null ? $"a{r}{v}" : $"a{r}{v} + bias";
                _w.Line($"{Simd}.Store({target}, ({targetRow(r)}) * count + s{(v == 0 ? "" : Invariant($" + {v} * {_vector}.Count"))}, {value});");
            }
        }
    }

    private string Span(bool readOnly) => readOnly ? $"global::System.ReadOnlySpan<{_t}>" : $"global::System.Span<{_t}>";

    private string Where(PlannedLayer layer) => Invariant(
        $"W is Parameters[{layer.WeightOffset}..{layer.BiasOffset}) row-major [{layer.Outputs}, {layer.Inputs}]; b is Parameters[{layer.BiasOffset}..{layer.BiasOffset + layer.Outputs}).");

    /// <summary>
    /// Loops over output rows in blocks, or, for an unrolled layer, writes each block out with its row
    /// as a constant so that the JIT folds every weight offset.
    /// </summary>
    private void ForEachRowBlock(PlannedLayer layer, int rows, System.Action<int> body, bool latencyBound = false)
    {
        int outputs = layer.Outputs;
        int whole = outputs - (outputs % rows);
        // Within the budget, a few blocks written out beat a loop where a call is short and its latency
        // counts (one sample's forward); batch kernels run long enough that their loops cost nothing, so
        // they are written out only on request (FullUnroll), and their 512-bit twins never.
        bool unroll = layer.Unrolled && !_wide
            && (_plan.Spec.FullUnroll || (latencyBound && outputs <= rows * MaxUnrolledBlocks));
        if (unroll || whole == rows)
        {
            // Written out block by block (a single block needs no loop either).
            for (int o = 0; o < whole; o += rows)
            {
                using (_w.Open())
                {
                    _w.Line(Invariant($"const int o = {o};"));
                    body(rows);
                }
            }
        }
        else if (whole > 0)
        {
            using (_w.Block(Invariant($"for (int o = 0; o < {whole}; o += {rows})")))
            {
                body(rows);
            }
        }
        if (whole < outputs)
        {
            // The rows left over make one smaller block: as many independent accumulator chains as
            // there are rows, rather than one row at a time waiting on its own chain.
            using (_w.Open())
            {
                _w.Line(Invariant($"const int o = {whole};"));
                body(outputs - whole);
            }
        }
    }

    // ---- forward ---------------------------------------------------------------------------------

    private void EmitForward(PlannedLayer layer)
    {
        int inputs = layer.Inputs;
        _w.Line(Invariant($"/// <summary>Layer {layer.Number}, {layer.Layer.DisplayText}: y = W x + b for each of <paramref name=\"count\"/> samples. {Where(layer)}</summary>"));
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void ForwardLayer{layer.Number}({Span(true)} p, {Span(true)} x, {Span(false)} y, int count)"))
        {
            _w.Line("// Inputs narrower than one vector leave nothing to vectorise along: plain scalars are quicker.");
            using (_w.Block(Invariant($"if (!global::System.Numerics.Vector.IsHardwareAccelerated || {inputs} < {_vector}.Count)")))
            {
                _w.Line($"ForwardLayer{layer.Number}Scalar(p, x, y, count);");
                _w.Line("return;");
            }
            _w.Line("// Inputs covered by whole vectors; Vector<T>.Count is a constant to the JIT, so is this.");
            _w.Line(Invariant($"int vectorEnd = {inputs} - {inputs} % {_vector}.Count;"));
            _w.Line("int s = 0;");
            _w.Line(Invariant($"// {ForwardSamples} samples at a time: each weight vector loaded feeds {ForwardSamples} dot products."));
            using (_w.Block(Invariant($"for (; s + {ForwardSamples} <= count; s += {ForwardSamples})")))
            {
                EmitForwardSampleBlock(layer, ForwardSamples);
            }
            using (_w.Block("for (; s < count; s++)"))
            {
                EmitForwardSampleBlock(layer, 1);
            }
        }
    }

    private void EmitForwardSampleBlock(PlannedLayer layer, int samples)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        _w.Line(Invariant($"int x0 = s * {inputs}, y0 = s * {outputs};"));
        ForEachRowBlock(layer, samples == 1 ? SingleSampleRows : ForwardRows, rows => EmitForwardBlock(layer, samples, rows), latencyBound: true);
    }

    /// <summary>The dot products of <paramref name="samples"/> samples with <paramref name="rows"/> rows of W.</summary>
    private void EmitForwardBlock(PlannedLayer layer, int samples, int rows)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        var rowNames = new List<string>();
        for (int r = 0; r < rows; r++)
        {
            rowNames.Add(r == 0 ? Invariant($"w0 = {Sum(layer.WeightOffset, $"o * {inputs}")}") : Invariant($"w{r} = w{r - 1} + {inputs}"));
        }
        _w.Line($"int {string.Join(", ", rowNames)};");
        var accumulators = new List<string>();
        for (int s = 0; s < samples; s++)
        {
            for (int r = 0; r < rows; r++)
            {
                accumulators.Add($"a{s}{r}");
            }
        }
        _w.Line($"{_vector} {string.Join(", ", accumulators.ConvertAll(a => a + " = default"))};");
        using (_w.Block($"for (int i = 0; i < vectorEnd; i += {_vector}.Count)"))
        {
            for (int s = 0; s < samples; s++)
            {
                _w.Line(Invariant($"var v{s} = {Simd}.Load(x, {Sum("x0", s * inputs, "i")});"));
            }
            for (int r = 0; r < rows; r++)
            {
                _w.Line($"{(r == 0 ? "var " : "")}w = {Simd}.Load(p, w{r} + i);");
                for (int s = 0; s < samples; s++)
                {
                    _w.Line($"a{s}{r} = {Simd}.MultiplyAdd(v{s}, w, a{s}{r});");
                }
            }
        }
        if (samples == 1 && rows == 8 && _t == "float")
        {
            // With 8 lanes and no tail, the 8 rows' sums come out of one transpose-and-add as a vector:
            // add the 8 biases and store the 8 outputs at once (the condition is a constant to the JIT).
            using (_w.Block(Invariant($"if ({_vector}.Count == 8 && vectorEnd == {inputs})")))
            {
                _w.Line($"var sums = {Simd}.SumEach8(a00, a01, a02, a03, a04, a05, a06, a07);");
                _w.Line($"{Simd}.Store(y, {Sum("y0", "o")}, sums + {Simd}.Load(p, {Sum(layer.BiasOffset, "o")}));");
            }
            using (_w.Block("else"))
            {
                EmitForwardReduction(layer, samples, rows);
            }
            return;
        }
        EmitForwardReduction(layer, samples, rows);
    }

    /// <summary>Each accumulator's lanes summed, the scalar tail of the inputs added, then bias and store.</summary>
    private void EmitForwardReduction(PlannedLayer layer, int samples, int rows)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        _w.Line("// Sum each accumulator's lanes, then the inputs past the last whole vector.");
        for (int s = 0; s < samples; s++)
        {
            for (int r = 0; r < rows; r++)
            {
                _w.Line($"{_t} r{s}{r} = {Simd}.Sum(a{s}{r});");
            }
        }
        using (_w.Block(Invariant($"for (int i = vectorEnd; i < {inputs}; i++)")))
        {
            for (int s = 0; s < samples; s++)
            {
                _w.Line(Invariant($"{_t} u{s} = x[{Sum("x0", s * inputs, "i")}];"));
            }
            for (int r = 0; r < rows; r++)
            {
                _w.Line($"{(r == 0 ? _t + " " : "")}c = p[w{r} + i];");
                for (int s = 0; s < samples; s++)
                {
                    _w.Line($"r{s}{r} += u{s} * c;");
                }
            }
        }
        for (int s = 0; s < samples; s++)
        {
            for (int r = 0; r < rows; r++)
            {
                _w.Line(Invariant($"y[{Sum("y0", s * outputs, "o", r)}] = r{s}{r} + p[{Sum(layer.BiasOffset, "o", r)}];"));
            }
        }
    }

    /// <summary>Layers this small have their scalar forward written out in full, one line per output.</summary>
    private const int WrittenOutScalarWeights = 256;

    private void EmitForwardScalar(PlannedLayer layer)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        bool writtenOut = (long)inputs * outputs <= WrittenOutScalarWeights;
        _w.Line(Invariant($"/// <summary>Layer {layer.Number} forward in scalars, for runtimes without hardware vectors and layers narrower than a vector.</summary>"));
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void ForwardLayer{layer.Number}Scalar({Span(true)} p, {Span(true)} x, {Span(false)} y, int count)"))
        {
            if (writtenOut)
            {
                // A tiny layer, written out: every output its own independent sum, nothing to loop over
                // but the samples. Slicing to constant lengths lets the JIT drop the bounds checks.
                _w.Line("// Written out: each output one independent sum; constant-length slices let the JIT drop bounds checks.");
                _w.Line(Invariant($"{Span(true)} w = p.Slice({layer.WeightOffset}, {layer.WeightCount + outputs});"));
                using (_w.Block("for (int s = 0; s < count; s++)"))
                {
                    _w.Line(Invariant($"{Span(true)} u = x.Slice(s * {inputs}, {inputs});"));
                    _w.Line(Invariant($"{Span(false)} v = y.Slice(s * {outputs}, {outputs});"));
                    var loads = new List<string>();
                    for (int i = inputs - 1; i >= 0; i--)
                    {
                        loads.Add(Invariant($"u{i} = u[{i}]"));
                    }
                    _w.Line($"{_t} {string.Join(", ", loads)};");
                    for (int o = 0; o < outputs; o++)
                    {
                        var terms = new List<string> { Invariant($"w[{layer.WeightCount + o}]") };
                        for (int i = 0; i < inputs; i++)
                        {
                            terms.Add(Invariant($"w[{(o * inputs) + i}] * u{i}"));
                        }
                        _w.Line(Invariant($"v[{o}] = {string.Join(" + ", terms)};"));
                    }
                }
                return;
            }
            using (_w.Block("for (int s = 0; s < count; s++)"))
            using (_w.Block(Invariant($"for (int o = 0; o < {outputs}; o++)")))
            {
                _w.Line(Invariant($"{_t} sum = p[{layer.BiasOffset} + o];"));
                _w.Line(Invariant($"int row = {Sum(layer.WeightOffset, $"o * {inputs}")}, sample = s * {inputs};"));
                using (_w.Block(Invariant($"for (int i = 0; i < {inputs}; i++)")))
                {
                    _w.Line("sum += p[row + i] * x[sample + i];");
                }
                _w.Line(Invariant($"y[s * {outputs} + o] = sum;"));
            }
        }
    }

    // ---- parameter gradients ---------------------------------------------------------------------

    private void EmitParameterGradients(PlannedLayer layer)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        _w.Line(Invariant($"/// <summary>Layer {layer.Number}, {layer.Layer.DisplayText}{WidePhrase}: dW = sum over samples of delta x^T, db = sum over samples of delta, written over Gradients. {Where(layer)}</summary>"));
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void BackwardLayer{layer.Number}Parameters{Wide}({Span(true)} x, {Span(true)} delta, {Span(false)} g, int count)"))
        {
            if (!_wide)
            {
                using (_w.Block("if (!global::System.Numerics.Vector.IsHardwareAccelerated)"))
                {
                    _w.Line($"BackwardLayer{layer.Number}ParametersScalar(x, delta, g, count);");
                    _w.Line("return;");
                }
                EmitWideDispatch($"BackwardLayer{layer.Number}Parameters512(x, delta, g, count);");
            }
            _w.Line(Invariant($"int vectorEnd = {inputs} - {inputs} % {_vector}.Count;"));
            _w.Line($"int step = {GradientVectors} * {_vector}.Count;");
            _w.Line(Invariant($"// dW: {GradientRows} rows x {GradientVectors} vectors of inputs per block; each broadcast delta feeds {GradientVectors} FMAs, each input vector {GradientRows}."));
            ForEachRowBlock(layer, GradientRows, rows => EmitWeightGradientRows(layer, rows));
            _w.Line("// db: the deltas summed over samples, a vector of outputs at a time.");
            _w.Line(Invariant($"int outputEnd = {outputs} - {outputs} % {_vector}.Count;"));
            using (_w.Block($"for (int o = 0; o < outputEnd; o += {_vector}.Count)"))
            {
                _w.Line($"var sum = {_vector}.Zero;");
                using (_w.Block("for (int s = 0; s < count; s++)"))
                {
                    _w.Line(Invariant($"sum += {Simd}.Load(delta, s * {outputs} + o);"));
                }
                _w.Line(Invariant($"{Simd}.Store(g, {layer.BiasOffset} + o, sum);"));
            }
            using (_w.Block(Invariant($"for (int o = outputEnd; o < {outputs}; o++)")))
            {
                _w.Line($"{_t} sum = {_zero};");
                using (_w.Block("for (int s = 0; s < count; s++)"))
                {
                    _w.Line(Invariant($"sum += delta[s * {outputs} + o];"));
                }
                _w.Line(Invariant($"g[{layer.BiasOffset} + o] = sum;"));
            }
        }
    }

    private void EmitWeightGradientRows(PlannedLayer layer, int rows)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        var rowNames = new List<string>();
        for (int r = 0; r < rows; r++)
        {
            rowNames.Add(r == 0 ? Invariant($"g0 = {Sum(layer.WeightOffset, $"o * {inputs}")}") : Invariant($"g{r} = g{r - 1} + {inputs}"));
        }
        _w.Line($"int {string.Join(", ", rowNames)};");
        _w.Line("int i = 0;");
        using (_w.Block("for (; i + step <= vectorEnd; i += step)"))
        {
            EmitWeightGradientBlock(layer, rows, GradientVectors);
        }
        using (_w.Block($"for (; i < vectorEnd; i += {_vector}.Count)"))
        {
            EmitWeightGradientBlock(layer, rows, 1);
        }
        using (_w.Block(Invariant($"for (; i < {inputs}; i++)")))
        {
            _w.Line($"{_t} {string.Join(", ", Names("c", rows, r => $"c{r} = {_zero}"))};");
            using (_w.Block("for (int s = 0; s < count; s++)"))
            {
                _w.Line(Invariant($"{_t} u = x[s * {inputs} + i];"));
                _w.Line(Invariant($"int d = s * {outputs} + o;"));
                for (int r = 0; r < rows; r++)
                {
                    _w.Line(Invariant($"c{r} += delta[{Sum("d", r)}] * u;"));
                }
            }
            for (int r = 0; r < rows; r++)
            {
                _w.Line($"g[g{r} + i] = c{r};");
            }
        }
    }

    private void EmitWeightGradientBlock(PlannedLayer layer, int rows, int vectors)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        var accumulators = new List<string>();
        for (int r = 0; r < rows; r++)
        {
            for (int v = 0; v < vectors; v++)
            {
                accumulators.Add($"a{r}{v} = default");
            }
        }
        _w.Line($"{_vector} {string.Join(", ", accumulators)};");
        using (_w.Block("for (int s = 0; s < count; s++)"))
        {
            _w.Line(Invariant($"int xs = s * {inputs} + i, d = s * {outputs} + o;"));
            for (int v = 0; v < vectors; v++)
            {
                _w.Line($"var v{v} = {Simd}.Load(x, xs{(v == 0 ? "" : Invariant($" + {v} * {_vector}.Count"))});");
            }
            for (int r = 0; r < rows; r++)
            {
                _w.Line(Invariant($"{(r == 0 ? "var " : "")}b = {Simd}.Broadcast(delta, {Sum("d", r)});"));
                for (int v = 0; v < vectors; v++)
                {
                    _w.Line($"a{r}{v} = {Simd}.MultiplyAdd(b, v{v}, a{r}{v});");
                }
            }
        }
        for (int r = 0; r < rows; r++)
        {
            for (int v = 0; v < vectors; v++)
            {
                _w.Line($"{Simd}.Store(g, g{r} + i{(v == 0 ? "" : Invariant($" + {v} * {_vector}.Count"))}, a{r}{v});");
            }
        }
    }

    private void EmitParameterGradientsScalar(PlannedLayer layer)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        _w.Line(Invariant($"/// <summary>Layer {layer.Number} parameter gradients in scalars, for runtimes without hardware vectors.</summary>"));
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void BackwardLayer{layer.Number}ParametersScalar({Span(true)} x, {Span(true)} delta, {Span(false)} g, int count)"))
        {
            using (_w.Block(Invariant($"for (int o = 0; o < {outputs}; o++)")))
            {
                using (_w.Block(Invariant($"for (int i = 0; i < {inputs}; i++)")))
                {
                    _w.Line($"{_t} sum = {_zero};");
                    using (_w.Block("for (int s = 0; s < count; s++)"))
                    {
                        _w.Line(Invariant($"sum += delta[s * {outputs} + o] * x[s * {inputs} + i];"));
                    }
                    _w.Line(Invariant($"g[{Sum(layer.WeightOffset, $"o * {inputs}", "i")}] = sum;"));
                }
                _w.Line($"{_t} bias = {_zero};");
                using (_w.Block("for (int s = 0; s < count; s++)"))
                {
                    _w.Line(Invariant($"bias += delta[s * {outputs} + o];"));
                }
                _w.Line(Invariant($"g[{layer.BiasOffset} + o] = bias;"));
            }
        }
    }

    // ---- input gradient --------------------------------------------------------------------------

    private void EmitInputGradient(PlannedLayer layer)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        _w.Line(Invariant($"/// <summary>Layer {layer.Number}, {layer.Layer.DisplayText}: dx = W^T delta for each of <paramref name=\"count\"/> samples. {Where(layer)}</summary>"));
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void BackwardLayer{layer.Number}Inputs({Span(true)} p, {Span(true)} delta, {Span(false)} dx, int count)"))
        {
            using (_w.Block("if (!global::System.Numerics.Vector.IsHardwareAccelerated)"))
            {
                _w.Line($"BackwardLayer{layer.Number}InputsScalar(p, delta, dx, count);");
                _w.Line("return;");
            }
            _w.Line(Invariant($"int vectorEnd = {inputs} - {inputs} % {_vector}.Count;"));
            _w.Line($"int step = {GradientVectors} * {_vector}.Count;");
            _w.Line("int s = 0;");
            _w.Line(Invariant($"// {GradientRows} samples x {GradientVectors} vectors of inputs per block: each row of W loaded feeds {GradientRows} samples."));
            using (_w.Block(Invariant($"for (; s + {GradientRows} <= count; s += {GradientRows})")))
            {
                EmitInputGradientSamples(layer, GradientRows);
            }
            using (_w.Block("for (; s < count; s++)"))
            {
                EmitInputGradientSamples(layer, 1);
            }
        }
    }

    private void EmitInputGradientSamples(PlannedLayer layer, int samples)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        _w.Line(Invariant($"int d0 = s * {outputs}, x0 = s * {inputs};"));
        _w.Line("int i = 0;");
        using (_w.Block("for (; i + step <= vectorEnd; i += step)"))
        {
            EmitInputGradientBlock(layer, samples, GradientVectors);
        }
        using (_w.Block($"for (; i < vectorEnd; i += {_vector}.Count)"))
        {
            EmitInputGradientBlock(layer, samples, 1);
        }
        using (_w.Block(Invariant($"for (; i < {inputs}; i++)")))
        {
            _w.Line($"{_t} {string.Join(", ", Names("c", samples, s => $"c{s} = {_zero}"))};");
            using (_w.Block(Invariant($"for (int o = 0; o < {outputs}; o++)")))
            {
                _w.Line(Invariant($"{_t} u = p[{Sum(layer.WeightOffset, $"o * {inputs}", "i")}];"));
                for (int s = 0; s < samples; s++)
                {
                    _w.Line(Invariant($"c{s} += delta[{Sum("d0", s * outputs, "o")}] * u;"));
                }
            }
            for (int s = 0; s < samples; s++)
            {
                _w.Line(Invariant($"dx[{Sum("x0", s * inputs, "i")}] = c{s};"));
            }
        }
    }

    private void EmitInputGradientBlock(PlannedLayer layer, int samples, int vectors)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        var accumulators = new List<string>();
        for (int s = 0; s < samples; s++)
        {
            for (int v = 0; v < vectors; v++)
            {
                accumulators.Add($"a{s}{v} = default");
            }
        }
        _w.Line($"{_vector} {string.Join(", ", accumulators)};");
        using (_w.Block(Invariant($"for (int o = 0; o < {outputs}; o++)")))
        {
            _w.Line(Invariant($"int row = {Sum(layer.WeightOffset, $"o * {inputs}", "i")};"));
            for (int v = 0; v < vectors; v++)
            {
                _w.Line($"var w{v} = {Simd}.Load(p, row{(v == 0 ? "" : Invariant($" + {v} * {_vector}.Count"))});");
            }
            for (int s = 0; s < samples; s++)
            {
                _w.Line(Invariant($"{(s == 0 ? "var " : "")}b = {Simd}.Broadcast(delta, {Sum("d0", s * outputs, "o")});"));
                for (int v = 0; v < vectors; v++)
                {
                    _w.Line($"a{s}{v} = {Simd}.MultiplyAdd(b, w{v}, a{s}{v});");
                }
            }
        }
        for (int s = 0; s < samples; s++)
        {
            for (int v = 0; v < vectors; v++)
            {
                _w.Line(Invariant($"{Simd}.Store(dx, {Sum("x0", s * inputs, "i")}{(v == 0 ? "" : Invariant($" + {v} * {_vector}.Count"))}, a{s}{v});"));
            }
        }
    }

    private void EmitInputGradientScalar(PlannedLayer layer)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        _w.Line(Invariant($"/// <summary>Layer {layer.Number} input gradient in scalars, for runtimes without hardware vectors.</summary>"));
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void BackwardLayer{layer.Number}InputsScalar({Span(true)} p, {Span(true)} delta, {Span(false)} dx, int count)"))
        using (_w.Block("for (int s = 0; s < count; s++)"))
        using (_w.Block(Invariant($"for (int i = 0; i < {inputs}; i++)")))
        {
            _w.Line($"{_t} sum = {_zero};");
            using (_w.Block(Invariant($"for (int o = 0; o < {outputs}; o++)")))
            {
                _w.Line(Invariant($"sum += p[{Sum(layer.WeightOffset, $"o * {inputs}", "i")}] * delta[s * {outputs} + o];"));
            }
            _w.Line(Invariant($"dx[s * {inputs} + i] = sum;"));
        }
    }

    /// <summary>Joins terms with " + ", leaving out zeros, so that offsets read as a person writes them.</summary>
    private static string Sum(params object[] terms)
    {
        var kept = new List<string>();
        foreach (object term in terms)
        {
            string text = System.Convert.ToString(term, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            if (text != "0")
            {
                kept.Add(text);
            }
        }
        return kept.Count == 0 ? "0" : string.Join(" + ", kept);
    }

    private static IEnumerable<string> Names(string prefix, int count, System.Func<int, string> make)
    {
        for (int k = 0; k < count; k++)
        {
            yield return make(k);
        }
    }
}
