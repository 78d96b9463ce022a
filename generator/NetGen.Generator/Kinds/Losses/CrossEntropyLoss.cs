using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Losses;

/// <summary>
/// Mean cross-entropy of a softmax against class labels: the network is an IClassifier, its Backward
/// takes labels, and softmax and loss backpropagate fused as <c>(y - onehot) / N</c>.
/// </summary>
internal sealed class CrossEntropyLoss : LossDefinition
{
    public static readonly CrossEntropyLoss Instance = new();

    public override LossKind Kind => LossKind.CrossEntropy;

    public override string Name => "CrossEntropyLoss";

    public override string Contract => "IClassifier";

    public override bool Classifies => true;

    public override LayerKind? RequiredBefore => LayerKind.Softmax;

    public override void EmitMembers(ILossWriter emitter)
    {
        CodeWriter w = emitter.Writer;
        TypeNames names = emitter.Names;
        string rs = names.ReadOnlySpan, t = names.Element;
        string generatedCode = NetworkEmitter.GeneratedCode;
        w.Line("/// <summary>The mean cross-entropy over the batch (batch size = labels.Length), computed through log-sum-exp. Not thread-safe.</summary>");
        w.Line("/// <param name=\"inputs\">labels.Length * InputSize values, sample after sample.</param>");
        w.Line("/// <param name=\"labels\">One class index in [0, OutputSize) per sample.</param>");
        w.Line(generatedCode);
        using (w.Block($"public {t} Loss({rs} inputs, global::System.ReadOnlySpan<int> labels)"))
        {
            w.Line("int count = Kernels.CheckLabeledBatch(inputs.Length, labels, InputSize, OutputSize);");
            w.Line(emitter.Plan.EnsureWorkspaceStatement("labels"));
            w.Line($"return Kernels.LossFromLabels(Parameters, Kernels.AlignedWorkspace(_workspace), inputs, labels{emitter.EvaluationArguments});");
        }
        w.Line();
        w.Line("/// <summary>Sets Gradients to d(mean cross-entropy)/d(Parameters), overwriting them, and returns the loss. Not thread-safe.</summary>");
        w.Line("/// <param name=\"inputs\">labels.Length * InputSize values, sample after sample.</param>");
        w.Line("/// <param name=\"labels\">One class index in [0, OutputSize) per sample.</param>");
        w.Line(generatedCode);
        using (w.Block($"public {t} Backward({rs} inputs, global::System.ReadOnlySpan<int> labels)"))
        {
            w.Line("int count = Kernels.CheckLabeledBatch(inputs.Length, labels, InputSize, OutputSize);");
            w.Line(emitter.Plan.EnsureWorkspaceStatement("labels"));
            emitter.EmitTrainingCheck("labels");
            emitter.EmitTrainingReturn($"Kernels.BackwardFromLabels(Parameters, Gradients, Kernels.AlignedWorkspace(_workspace), inputs, labels{emitter.TrainingArguments})");
        }
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// One step of gradient descent: Backward, then Parameters -= learningRate * Gradients. Where the loss or");
        w.Line("/// any gradient is not finite, Parameters stay as they were and the non-finite loss is returned. Not thread-safe.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"inputs\">labels.Length * InputSize values, sample after sample.</param>");
        w.Line("/// <param name=\"labels\">One class index in [0, OutputSize) per sample.</param>");
        w.Line("/// <param name=\"learningRate\">The step size, a finite number.</param>");
        w.Line(generatedCode);
        using (w.Block($"public {t} TrainStep({rs} inputs, global::System.ReadOnlySpan<int> labels, {t} learningRate)"))
        {
            w.Line("int count = Kernels.CheckLabeledBatch(inputs.Length, labels, InputSize, OutputSize);");
            w.Line("Kernels.CheckLearningRate(learningRate);");
            emitter.EmitTrainingCheck("labels");
            w.Line(emitter.Plan.EnsureWorkspaceStatement("labels"));
            w.Line($"{t} loss = Kernels.BackwardFromLabels(Parameters, Gradients, Kernels.AlignedWorkspace(_workspace), inputs, labels{emitter.TrainingArguments});");
            emitter.EmitApplyStep("loss", "learningRate");
            w.Line("return loss;");
        }
        w.Line();
    }

    public override void EmitPrepare(ILossWriter emitter)
    {
        CodeWriter w = emitter.Writer;
        string zero = "0" + emitter.Names.Literal;
        w.Line("var labels = new int[batch];");
        if (emitter.Plan.TrainsOneSample)
        {
            w.Line($"TrainStep(one, new global::System.ReadOnlySpan<int>(labels, 0, 1), {zero});");
        }
        w.Line($"TrainStep(inputs, labels, {zero});");
        w.Line("Loss(one, new global::System.ReadOnlySpan<int>(labels, 0, 1));");
        w.Line("Loss(inputs, labels);");
    }

    public override void EmitKernels(ILossWriter emitter)
    {
        CodeWriter w = emitter.Writer;
        NetworkPlan plan = emitter.Plan;
        TypeNames names = emitter.Names;
        string rs = names.ReadOnlySpan, span = names.Span, t = names.Element;
        PlannedLayer softmax = plan.Layers[plan.Layers.Count - 1];
        string logits = emitter.ActivationOut(plan.Layers.Count - 2);
        string probabilities = emitter.ActivationOut(plan.Layers.Count - 1);
        int width = softmax.Outputs;

        w.Line("/// <summary>The mean cross-entropy of a checked batch, from the logits (the layer before the softmax).</summary>");
        w.Line(NetworkEmitter.Optimized);
        using (w.Block($"public static {t} LossFromLabels({rs} p, {span} w, {rs} inputs, global::System.ReadOnlySpan<int> labels{emitter.EvaluationParameters})"))
        {
            emitter.EmitEvaluationLocals();
            w.Line("int count = labels.Length;");
            using (w.Block($"if ({KernelNames.UseColumns}(count))"))
            {
                w.Line(emitter.ForwardTrainingCall(Layout.Columns, training: false));
                w.Line(Invariant($"return {KernelNames.InLayout(KernelNames.CrossEntropy, Layout.Columns)}({logits}, labels, {width});"));
            }
            w.Line(emitter.ForwardTrainingCall(Layout.Rows, training: false));
            w.Line(Invariant($"return {KernelNames.CrossEntropy}({logits}, labels, {width});"));
        }
        w.Line();
        w.Line("/// <summary>Backpropagates the mean cross-entropy of a checked batch into g and returns the loss.</summary>");
        w.Line(NetworkEmitter.Optimized);
        using (w.Block($"public static {t} BackwardFromLabels({rs} p, {span} g, {span} w, {rs} inputs, global::System.ReadOnlySpan<int> labels{emitter.TrainingParameters})"))
        {
            w.Line("int count = labels.Length;");
            emitter.EmitBackwardLocals();
            foreach (Layout layout in new[] { Layout.Columns, Layout.Rows })
            {
                string suffix = layout.Suffix();
                CodeWriter.Scope? scope = layout == Layout.Columns ? w.Block($"if ({KernelNames.UseColumns}(count))") : null;
                w.Line(emitter.ForwardTrainingCall(layout, training: true));
                string loss = layout == Layout.Columns ? "lossOfColumns" : "loss";
                w.Line(Invariant($"{t} {loss} = CrossEntropy{suffix}({logits}, labels, {width});"));
                w.Line(Invariant($"// Layer {softmax.Number}, Softmax, and the loss together: dz = (y - onehot(labels)) / N."));
                w.Line(Invariant($"{KernelNames.CrossEntropyBackward}{suffix}({probabilities}, labels, d1.Slice(0, count * {width}), {width});"));
                emitter.EmitBackPropagationFromD1(plan.Layers.Count - 2, layout);
                w.Line($"return {loss};");
                scope?.Dispose();
            }
        }
    }
}
