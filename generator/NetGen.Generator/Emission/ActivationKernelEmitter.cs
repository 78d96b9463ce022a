using NetGen.Generator.Model;

namespace NetGen.Generator.Emission;

/// <summary>
/// Emits the kernels of the width-keeping layers (ReLU, Softmax) and of the loss, once per network
/// and only those it uses. Each takes its width as an argument: unlike a Linear layer there is no
/// weight layout to specialise, and one copy keeps the generated file short.
/// </summary>
internal sealed class ActivationKernelEmitter
{
    private readonly CodeWriter _w;
    private readonly string _t;
    private readonly string _vector;
    private readonly string _zero;
    private readonly string _one;
    private readonly string _exp;

    public ActivationKernelEmitter(CodeWriter writer, NetworkPlan plan)
    {
        _w = writer;
        _t = plan.T;
        _vector = $"global::System.Numerics.Vector<{_t}>";
        bool isFloat = _t == "float";
        _zero = isFloat ? "0f" : "0d";
        _one = isFloat ? "1f" : "1d";
        _exp = isFloat ? "global::System.MathF.Exp" : "global::System.Math.Exp";
    }

    private const string Simd = "global::NetGen.Runtime.Simd";
    private const string GeneratedCode = NetworkEmitter.GeneratedCodeAttribute;

    private string Span(bool readOnly) => readOnly ? $"global::System.ReadOnlySpan<{_t}>" : $"global::System.Span<{_t}>";

    public void EmitReLU()
    {
        _w.Line("/// <summary>ReLU: y = max(x, 0) elementwise; y may be x itself. NaN passes through, so training sees it.</summary>");
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void ReLUForward({Span(true)} x, {Span(false)} y)"))
        {
            _w.Line("int k = 0;");
            using (_w.Block("if (global::System.Numerics.Vector.IsHardwareAccelerated)"))
            using (_w.Block($"for (; k <= x.Length - {_vector}.Count; k += {_vector}.Count)"))
            {
                _w.Line($"var v = {Simd}.Load(x, k);");
                _w.Line($"{Simd}.Store(y, k, global::System.Numerics.Vector.ConditionalSelect(global::System.Numerics.Vector.LessThan(v, {_vector}.Zero), {_vector}.Zero, v));");
            }
            using (_w.Block("for (; k < x.Length; k++)"))
            {
                _w.Line($"y[k] = x[k] < {_zero} ? {_zero} : x[k];");
            }
        }
        _w.Line();
        _w.Line("/// <summary>ReLU backward: dx = delta * 1(x >= 0), the derivative at 0 taken as 1; dx may be delta itself.</summary>");
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void ReLUBackward({Span(true)} x, {Span(true)} delta, {Span(false)} dx)"))
        {
            _w.Line("int k = 0;");
            using (_w.Block("if (global::System.Numerics.Vector.IsHardwareAccelerated)"))
            using (_w.Block($"for (; k <= x.Length - {_vector}.Count; k += {_vector}.Count)"))
            {
                _w.Line($"var open = global::System.Numerics.Vector.GreaterThanOrEqual({Simd}.Load(x, k), {_vector}.Zero);");
                _w.Line($"{Simd}.Store(dx, k, global::System.Numerics.Vector.ConditionalSelect(open, {Simd}.Load(delta, k), {_vector}.Zero));");
            }
            using (_w.Block("for (; k < x.Length; k++)"))
            {
                _w.Line($"dx[k] = x[k] >= {_zero} ? delta[k] : {_zero};");
            }
        }
    }

    /// <summary>
    /// How a kernel addresses value k of sample s: sample-major rows (<c>[s * width + k]</c>) or, for the
    /// feature-major batch kernels, columns (<c>[k * count + s]</c>). One emitter serves both layouts.
    /// </summary>
    private sealed record Layout(string Suffix, string Phrase, string? RowStart, System.Func<string, string> At)
    {
        public static readonly Layout Rows = new("", "per sample", "int row = s * width;", k => k == "0" ? "row" : $"row + {k}");
        public static readonly Layout Columns = new("Columns", "per sample of a feature-major batch", null, k => k == "0" ? "s" : $"{k} * count + s");
    }

    public void EmitSoftmax()
    {
        EmitSoftmax(Layout.Rows);
        _w.Line();
        EmitSoftmax(Layout.Columns);
    }

    private void EmitSoftmax(Layout layout)
    {
        _w.Line("/// <summary>");
        _w.Line($"/// Softmax {layout.Phrase}: y_i = e^(x_i - m) / sum_j e^(x_j - m) with m the sample's maximum, which");
        _w.Line("/// is mathematically e^x_i / sum_j e^x_j but cannot overflow. y may be x itself.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void SoftmaxForward{layout.Suffix}({Span(true)} x, {Span(false)} y, int count, int width)"))
        using (_w.Block("for (int s = 0; s < count; s++)"))
        {
            if (layout.RowStart is not null)
            {
                _w.Line(layout.RowStart);
            }
            _w.Line($"{_t} max = x[{layout.At("0")}];");
            using (_w.Block("for (int k = 1; k < width; k++)"))
            {
                _w.Line($"if (x[{layout.At("k")}] > max) max = x[{layout.At("k")}];");
            }
            _w.Line($"{_t} sum = {_zero};");
            using (_w.Block("for (int k = 0; k < width; k++)"))
            {
                _w.Line($"{_t} e = {_exp}(x[{layout.At("k")}] - max);");
                _w.Line($"y[{layout.At("k")}] = e;");
                _w.Line("sum += e;");
            }
            _w.Line($"{_t} scale = {_one} / sum;");
            using (_w.Block("for (int k = 0; k < width; k++)"))
            {
                _w.Line($"y[{layout.At("k")}] *= scale;");
            }
        }
        _w.Line();
        _w.Line($"/// <summary>Softmax backward {layout.Phrase}: dx_i = y_i (delta_i - sum_k delta_k y_k); dx may be delta itself.</summary>");
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void SoftmaxBackward{layout.Suffix}({Span(true)} y, {Span(true)} delta, {Span(false)} dx, int count, int width)"))
        using (_w.Block("for (int s = 0; s < count; s++)"))
        {
            if (layout.RowStart is not null)
            {
                _w.Line(layout.RowStart);
            }
            _w.Line($"{_t} dot = {_zero};");
            using (_w.Block("for (int k = 0; k < width; k++)"))
            {
                _w.Line($"dot += delta[{layout.At("k")}] * y[{layout.At("k")}];");
            }
            using (_w.Block("for (int k = 0; k < width; k++)"))
            {
                _w.Line($"dx[{layout.At("k")}] = y[{layout.At("k")}] * (delta[{layout.At("k")}] - dot);");
            }
        }
    }

    public void EmitCrossEntropy()
    {
        EmitCrossEntropyLoss(Layout.Rows);
        _w.Line();
        EmitCrossEntropyLoss(Layout.Columns);
        _w.Line();
        EmitCrossEntropyBackwardRows();
        _w.Line();
        EmitCrossEntropyBackwardColumns();
    }

    private void EmitCrossEntropyLoss(Layout layout)
    {
        _w.Line("/// <summary>");
        _w.Line($"/// Mean cross-entropy of the softmax of <paramref name=\"logits\"/> ({layout.Phrase.Replace("per sample", "samples")}), through");
        _w.Line("/// log-sum-exp: -log y[t] = log(sum_j e^(z_j - m)) - (z_t - m), so a confident wrong answer costs a");
        _w.Line("/// large finite loss instead of log(0). Summed in double, so long batches lose no precision.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static {_t} CrossEntropy{layout.Suffix}({Span(true)} logits, global::System.ReadOnlySpan<int> labels, int width)"))
        {
            _w.Line("int count = labels.Length;");
            _w.Line("double total = 0d;");
            using (_w.Block("for (int s = 0; s < count; s++)"))
            {
                if (layout.RowStart is not null)
                {
                    _w.Line(layout.RowStart);
                }
                _w.Line($"{_t} max = logits[{layout.At("0")}];");
                using (_w.Block("for (int k = 1; k < width; k++)"))
                {
                    _w.Line($"if (logits[{layout.At("k")}] > max) max = logits[{layout.At("k")}];");
                }
                _w.Line("double sum = 0d;");
                using (_w.Block("for (int k = 0; k < width; k++)"))
                {
                    _w.Line($"sum += global::System.Math.Exp(logits[{layout.At("k")}] - max);");
                }
                _w.Line($"total += global::System.Math.Log(sum) - (logits[{layout.At("labels[s]")}] - max);");
            }
            _w.Line($"return ({_t})(total / count);");
        }
    }

    private void EmitCrossEntropyBackwardRows()
    {
        _w.Line("/// <summary>");
        _w.Line("/// Softmax and mean cross-entropy backward, fused: dz = (y - onehot(t)) / N. This is exactly the");
        _w.Line("/// two layers' gradients composed, without dividing by a probability that may be tiny.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void CrossEntropyBackward({Span(true)} y, global::System.ReadOnlySpan<int> labels, {Span(false)} dz, int width)"))
        {
            _w.Line($"{_t} scale = {_one} / labels.Length;");
            using (_w.Block("for (int s = 0; s < labels.Length; s++)"))
            {
                _w.Line("int row = s * width;");
                using (_w.Block("for (int k = 0; k < width; k++)"))
                {
                    _w.Line("dz[row + k] = y[row + k] * scale;");
                }
                _w.Line("dz[row + labels[s]] -= scale;");
            }
        }
    }

    private void EmitCrossEntropyBackwardColumns()
    {
        _w.Line("/// <summary>Softmax and mean cross-entropy backward, fused, feature-major: dz = (y - onehot(t)) / N.</summary>");
        _w.Line(GeneratedCode);
        _w.Line(NetworkEmitter.Optimized);
        using (_w.Block($"private static void CrossEntropyBackwardColumns({Span(true)} yT, global::System.ReadOnlySpan<int> labels, {Span(false)} dzT, int width)"))
        {
            _w.Line("int count = labels.Length;");
            _w.Line($"{_t} scale = {_one} / count;");
            _w.Line("int k = 0;");
            using (_w.Block("if (global::System.Numerics.Vector.IsHardwareAccelerated)"))
            {
                _w.Line($"var scaleVector = new {_vector}(scale);");
                using (_w.Block($"for (; k <= width * count - {_vector}.Count; k += {_vector}.Count)"))
                {
                    _w.Line($"{Simd}.Store(dzT, k, {Simd}.Load(yT, k) * scaleVector);");
                }
            }
            using (_w.Block("for (; k < width * count; k++)"))
            {
                _w.Line("dzT[k] = yT[k] * scale;");
            }
            using (_w.Block("for (int s = 0; s < count; s++)"))
            {
                _w.Line("dzT[labels[s] * count + s] -= scale;");
            }
        }
    }
}
