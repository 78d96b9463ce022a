using NetGen.Generator.Model;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>
/// The training members: Loss, both Backward overloads and TrainStep, and the passes behind them. Each
/// pass exists twice: feature-major for batches of at least one vector of samples, and sample by sample
/// for smaller batches and runtimes without hardware vectors.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private const string SimdRuntime = "global::NetGen.Runtime.Simd";

    private PlannedLayer SoftmaxLayer => _plan.Layers[_plan.Layers.Count - 1];

    private void EmitClassifierTraining()
    {
        PlannedLayer softmax = SoftmaxLayer;
        int logits = _plan.Layers.Count - 2;
        _w.Line("/// <summary>The mean cross-entropy over the batch (batch size = labels.Length), computed through log-sum-exp. Not thread-safe.</summary>");
        _w.Line("/// <param name=\"inputs\">labels.Length * InputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"labels\">One class index in [0, OutputSize) per sample.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public {_t} Loss({Span(true)} inputs, global::System.ReadOnlySpan<int> labels)"))
        {
            _w.Line("int count = CheckLabeledBatch(inputs, labels);");
            _w.Line("EnsureWorkspace(count, nameof(labels));");
            _w.Line($"{Span(false)} w = _workspace;");
            using (_w.Block("if (UseColumns(count))"))
            {
                _w.Line("ForwardTrainingColumns(inputs, count);");
                _w.Line(Invariant($"return CrossEntropyColumns({ActivationOut(logits)}, labels, {softmax.Outputs});"));
            }
            _w.Line("ForwardTraining(inputs, count);");
            _w.Line(Invariant($"return CrossEntropy({ActivationOut(logits)}, labels, {softmax.Outputs});"));
        }
        _w.Line();
        _w.Line("/// <summary>Sets Gradients to d(mean cross-entropy)/d(Parameters), overwriting them, and returns the loss. Not thread-safe.</summary>");
        _w.Line("/// <param name=\"inputs\">labels.Length * InputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"labels\">One class index in [0, OutputSize) per sample.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public {_t} Backward({Span(true)} inputs, global::System.ReadOnlySpan<int> labels)"))
        {
            _w.Line("int count = CheckLabeledBatch(inputs, labels);");
            _w.Line("return BackwardFromLabels(inputs, labels, count);");
        }
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// One step of gradient descent: Backward, then Parameters -= learningRate * Gradients. Where the loss or");
        _w.Line("/// any gradient is not finite, Parameters stay as they were and the non-finite loss is returned. Not thread-safe.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"inputs\">labels.Length * InputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"labels\">One class index in [0, OutputSize) per sample.</param>");
        _w.Line("/// <param name=\"learningRate\">The step size, a finite number.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public {_t} TrainStep({Span(true)} inputs, global::System.ReadOnlySpan<int> labels, {_t} learningRate)"))
        {
            _w.Line("int count = CheckLabeledBatch(inputs, labels);");
            _w.Line($"if (!{_t}.IsFinite(learningRate)) throw {Errors}.NonFiniteLearningRate(nameof(learningRate), learningRate);");
            _w.Line($"{_t} loss = BackwardFromLabels(inputs, labels, count);");
            _w.Line("// A step through a NaN or infinite gradient would ruin every parameter it touches: skip it whole.");
            _w.Line($"if (!{_t}.IsFinite(loss) || !{SimdRuntime}.AllFinite(Gradients)) return loss;");
            _w.Line($"{SimdRuntime}.SubtractScaled(Parameters, Gradients, learningRate);");
            _w.Line("return loss;");
        }
        _w.Line();
        _w.Line(GeneratedCode);
        using (_w.Block($"private {_t} BackwardFromLabels({Span(true)} inputs, global::System.ReadOnlySpan<int> labels, int count)"))
        {
            _w.Line("EnsureWorkspace(count, nameof(labels));");
            EmitBackwardLocals();
            using (_w.Block("if (UseColumns(count))"))
            {
                _w.Line("ForwardTrainingColumns(inputs, count);");
                _w.Line(Invariant($"{_t} lossOfColumns = CrossEntropyColumns({ActivationOut(logits)}, labels, {softmax.Outputs});"));
                _w.Line(Invariant($"// Layer {softmax.Number}, Softmax, and the loss together: dz = (y - onehot(labels)) / N."));
                _w.Line(Invariant($"CrossEntropyBackwardColumns({ActivationOut(softmax.Number - 1)}, labels, d1.Slice(0, count * {softmax.Outputs}), {softmax.Outputs});"));
                EmitBackPropagation(_plan.Layers.Count - 2, DeltaBuffer.D1, columns: true);
                _w.Line("return lossOfColumns;");
            }
            _w.Line("ForwardTraining(inputs, count);");
            _w.Line(Invariant($"{_t} loss = CrossEntropy({ActivationOut(logits)}, labels, {softmax.Outputs});"));
            _w.Line(Invariant($"// Layer {softmax.Number}, Softmax, and the loss together: dz = (y - onehot(labels)) / N."));
            _w.Line(Invariant($"CrossEntropyBackward({ActivationOut(softmax.Number - 1)}, labels, d1.Slice(0, count * {softmax.Outputs}), {softmax.Outputs});"));
            EmitBackPropagation(_plan.Layers.Count - 2, DeltaBuffer.D1, columns: false);
            _w.Line("return loss;");
        }
        _w.Line();
        _w.Line(GeneratedCode);
        using (_w.Block($"private static int CheckLabeledBatch({Span(true)} inputs, global::System.ReadOnlySpan<int> labels)"))
        {
            _w.Line("int count = labels.Length;");
            _w.Line($"if (count < 1) throw {Errors}.EmptyBatch(\"labels\", count);");
            _w.Line($"if (inputs.Length != (long)count * InputSize) throw {Errors}.WrongLength(\"inputs\", (long)count * InputSize, inputs.Length, \"labels.Length * InputSize\");");
            using (_w.Block("for (int s = 0; s < count; s++)"))
            {
                _w.Line($"if ((uint)labels[s] >= OutputSize) throw {Errors}.LabelOutOfRange(\"labels\", s, labels[s], OutputSize);");
            }
            _w.Line("return count;");
        }
        _w.Line();
    }

    private void EmitOutputGradientBackward()
    {
        _w.Line("/// <summary>");
        _w.Line("/// Sets Gradients to d(sum over b, j of outputGradients[b, j] * outputs[b, j]) / d(Parameters), overwriting");
        _w.Line("/// them; the batch size is outputGradients.Length / OutputSize. Not thread-safe.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"inputs\">batch * InputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"outputGradients\">batch * OutputSize values: the upstream gradient on the outputs.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Backward({Span(true)} inputs, {Span(true)} outputGradients)"))
        {
            _w.Line($"if (outputGradients.Length == 0) throw {Errors}.EmptyBatch(nameof(outputGradients), 0);");
            _w.Line($"if (outputGradients.Length % OutputSize != 0) throw {Errors}.PartialSample(nameof(outputGradients), OutputSize, outputGradients.Length);");
            _w.Line("int count = outputGradients.Length / OutputSize;");
            _w.Line($"if (inputs.Length != (long)count * InputSize) throw {Errors}.WrongLength(nameof(inputs), (long)count * InputSize, inputs.Length, \"(outputGradients.Length / OutputSize) * InputSize\");");
            _w.Line("EnsureWorkspace(count, nameof(outputGradients));");
            EmitBackwardLocals();
            using (_w.Block("if (UseColumns(count))"))
            {
                _w.Line("ForwardTrainingColumns(inputs, count);");
                _w.Line("// The upstream gradient, transposed to feature-major.");
                _w.Line($"{SimdRuntime}.Transpose(outputGradients, d1.Slice(0, count * OutputSize), count, OutputSize);");
                EmitBackPropagation(_plan.Layers.Count - 1, DeltaBuffer.D1, columns: true);
                _w.Line("return;");
            }
            _w.Line("ForwardTraining(inputs, count);");
            EmitBackPropagation(_plan.Layers.Count - 1, DeltaBuffer.Caller, columns: false);
        }
        _w.Line();
    }

    private void EmitBackwardLocals()
    {
        long deltas = _plan.ActivationEnd;
        _w.Line($"{Span(false)} w = _workspace;");
        _w.Line($"{Span(true)} p = Parameters;");
        _w.Line($"{Span(false)} g = Gradients;");
        _w.Line(Invariant($"{Span(false)} d1 = w.Slice(count * {deltas}, count * MaxWidth);"));
        _w.Line(Invariant($"{Span(false)} d2 = w.Slice(count * {deltas + _plan.MaxWidth}, count * MaxWidth);"));
        _w.Line("// Sample-major copies of an activation and a delta, which the parameter-gradient kernels read.");
        _w.Line(Invariant($"{Span(false)} t1 = w.Slice(count * {deltas + (2L * _plan.MaxWidth)}, count * MaxWidth);"));
        _w.Line(Invariant($"{Span(false)} t2 = w.Slice(count * {deltas + (3L * _plan.MaxWidth)}, count * MaxWidth);"));
    }

    private enum DeltaBuffer
    {
        Caller,
        D1,
        D2,
    }

    private static string Delta(DeltaBuffer buffer, int width) => buffer switch
    {
        DeltaBuffer.Caller => "outputGradients",
        DeltaBuffer.D1 => Invariant($"d1.Slice(0, count * {width})"),
        _ => Invariant($"d2.Slice(0, count * {width})"),
    };

    /// <summary>
    /// Backpropagates from the delta at the output of layer index <paramref name="from"/> down to the
    /// first Linear layer; nothing below it has parameters, so no gradient is computed there.
    /// </summary>
    private void EmitBackPropagation(int from, DeltaBuffer current, bool columns)
    {
        for (int index = from; index >= _plan.FirstLinearIndex; index--)
        {
            PlannedLayer layer = _plan.Layers[index];
            string delta = Delta(current, layer.Outputs);
            switch (layer.Layer.Kind)
            {
                case LayerKind.Linear:
                    _w.Line(Invariant($"// Layer {layer.Number}, {layer.Layer.DisplayText}: dW = sum delta x^T, db = sum delta{(index > _plan.FirstLinearIndex ? ", dx = W^T delta" : "")}."));
                    if (columns)
                    {
                        // The parameter gradients read sample-major rows; transposing is linear in the batch,
                        // the gradient itself is linear in batch times weights.
                        string input = "inputs";
                        if (index > 0)
                        {
                            input = Invariant($"t1.Slice(0, count * {layer.Inputs})");
                            _w.Line(Invariant($"{SimdRuntime}.Transpose({ActivationIn(index, columns)}, {input}, {layer.Inputs}, count);"));
                        }
                        _w.Line(Invariant($"{SimdRuntime}.Transpose({delta}, t2.Slice(0, count * {layer.Outputs}), {layer.Outputs}, count);"));
                        _w.Line(Invariant($"BackwardLayer{layer.Number}Parameters({input}, t2.Slice(0, count * {layer.Outputs}), g, count);"));
                    }
                    else
                    {
                        _w.Line(Invariant($"BackwardLayer{layer.Number}Parameters({ActivationIn(index, columns)}, {delta}, g, count);"));
                    }
                    if (index > _plan.FirstLinearIndex)
                    {
                        DeltaBuffer next = current == DeltaBuffer.D1 ? DeltaBuffer.D2 : DeltaBuffer.D1;
                        _w.Line(Invariant($"BackwardLayer{layer.Number}Inputs{(columns ? "Columns" : "")}(p, {delta}, {Delta(next, layer.Inputs)}, count);"));
                        current = next;
                    }
                    break;
                case LayerKind.ReLU:
                {
                    DeltaBuffer next = current == DeltaBuffer.Caller ? DeltaBuffer.D1 : current;
                    _w.Line(Invariant($"// Layer {layer.Number}, ReLU: dx = delta * 1(x >= 0)."));
                    _w.Line(Invariant($"ReLUBackward({ActivationIn(index, columns)}, {delta}, {Delta(next, layer.Inputs)});"));
                    current = next;
                    break;
                }
                case LayerKind.Softmax:
                {
                    DeltaBuffer next = current == DeltaBuffer.Caller ? DeltaBuffer.D1 : current;
                    _w.Line(Invariant($"// Layer {layer.Number}, Softmax: dx_i = y_i (delta_i - sum_k delta_k y_k)."));
                    _w.Line(Invariant($"SoftmaxBackward{(columns ? "Columns" : "")}({ActivationOut(index)}, {delta}, {Delta(next, layer.Inputs)}, count, {layer.Outputs});"));
                    current = next;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The activation flowing into layer index <paramref name="index"/> in the training workspace: for the
    /// first layer the caller's inputs, or, feature-major, their transposed copy at the workspace's start.
    /// </summary>
    private string ActivationIn(int index, bool columns) => index > 0
        ? ActivationOut(index - 1)
        : columns ? "w.Slice(0, count * InputSize)" : "inputs";

    /// <summary>The activation layer index <paramref name="index"/> writes in the training workspace.</summary>
    private string ActivationOut(int index)
    {
        PlannedLayer layer = _plan.Layers[index];
        return Invariant($"w.Slice(count * {layer.ActivationOffset}, count * {layer.Outputs})");
    }

    private void EmitTrainingPlumbing()
    {
        _w.Line("/// <summary>The forward pass for training, sample-major: every activation kept in the workspace for backpropagation.</summary>");
        _w.Line(GeneratedCode);
        using (_w.Block($"private void ForwardTraining({Span(true)} inputs, int count)"))
        {
            _w.Line($"{Span(true)} p = Parameters;");
            _w.Line($"{Span(false)} w = _workspace;");
            for (int index = 0; index < _plan.Layers.Count; index++)
            {
                PlannedLayer layer = _plan.Layers[index];
                _w.Line(Invariant($"// Layer {layer.Number}, {layer.Layer.DisplayText}"));
                _w.Line(LayerForwardCall(layer, ActivationIn(index, columns: false), ActivationOut(index), "count", columns: false));
            }
        }
        _w.Line();
        _w.Line("/// <summary>The forward pass for training, feature-major: the input transposed, then every activation kept in the workspace.</summary>");
        _w.Line(GeneratedCode);
        using (_w.Block($"private void ForwardTrainingColumns({Span(true)} inputs, int count)"))
        {
            _w.Line($"{Span(true)} p = Parameters;");
            _w.Line($"{Span(false)} w = _workspace;");
            _w.Line($"{SimdRuntime}.Transpose(inputs, w.Slice(0, count * InputSize), count, InputSize);");
            for (int index = 0; index < _plan.Layers.Count; index++)
            {
                PlannedLayer layer = _plan.Layers[index];
                _w.Line(Invariant($"// Layer {layer.Number}, {layer.Layer.DisplayText}"));
                _w.Line(LayerForwardCall(layer, ActivationIn(index, columns: true), ActivationOut(index), "count", columns: true));
            }
        }
        _w.Line();
        _w.Line("/// <summary>Grows the training workspace to hold <paramref name=\"count\"/> samples; smaller batches reuse it.</summary>");
        _w.Line(GeneratedCode);
        using (_w.Block("private void EnsureWorkspace(int count, string parameterName)"))
        {
            _w.Line("if (count <= _workspaceSamples) return;");
            _w.Line("long length = count * WorkspacePerSample;");
            _w.Line("if (length > 0x7FFFFFC7) throw new global::System.ArgumentOutOfRangeException(parameterName, count, \"The batch is too large: its training workspace would exceed the largest array .NET can allocate.\");");
            _w.Line($"_workspace = new {_t}[length];");
            _w.Line("_workspaceSamples = count;");
        }
        _w.Line();
    }
}
