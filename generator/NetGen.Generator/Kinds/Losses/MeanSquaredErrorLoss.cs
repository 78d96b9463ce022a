using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Losses;

/// <summary>
/// Mean squared error against real-valued targets, PyTorch's mse_loss with reduction "mean": the network
/// is an IRegressor, its loss backward is BackwardFromTargets, and the gradient on the outputs is
/// <c>2 (y - t) / (N * OutputSize)</c>. It may follow any layer.
/// </summary>
internal sealed class MeanSquaredErrorLoss : LossDefinition
{
    public static readonly MeanSquaredErrorLoss Instance = new();

    public override LossKind Kind => LossKind.MeanSquaredError;

    public override string Name => "MSELoss";

    public override string Contract => "IRegressor";

    public override LayerKind? RequiredBefore => null;

    public override void EmitMembers(ILossWriter emitter)
    {
        CodeWriter w = emitter.Writer;
        TypeNames names = emitter.Names;
        string rs = names.ReadOnlySpan, t = names.Element;
        string generatedCode = NetworkEmitter.GeneratedCode;
        const string TargetsDoc = "/// <param name=\"targets\">batch * OutputSize target values, sample after sample; the batch size is targets.Length / OutputSize.</param>";
        const string InputsDoc = "/// <param name=\"inputs\">batch * InputSize values, sample after sample.</param>";
        w.Line("/// <summary>The mean squared error over the batch and the outputs (PyTorch's mse_loss, reduction \"mean\"), summed in double. Not thread-safe.</summary>");
        w.Line(InputsDoc);
        w.Line(TargetsDoc);
        w.Line(generatedCode);
        using (w.Block($"public {t} Loss({rs} inputs, {rs} targets)"))
        {
            w.Line("int count = Kernels.CheckTargets(inputs.Length, targets, InputSize, OutputSize);");
            w.Line(emitter.Plan.EnsureWorkspaceStatement("targets"));
            w.Line($"return Kernels.LossFromTargets(Parameters, Kernels.AlignedWorkspace(_workspace), inputs, targets, count{emitter.EvaluationArguments});");
        }
        w.Line();
        w.Line("/// <summary>Sets Gradients to d(mean squared error)/d(Parameters), overwriting them, and returns the loss. Not thread-safe.</summary>");
        w.Line(InputsDoc);
        w.Line(TargetsDoc);
        w.Line(generatedCode);
        using (w.Block($"public {t} BackwardFromTargets({rs} inputs, {rs} targets)"))
        {
            w.Line("int count = Kernels.CheckTargets(inputs.Length, targets, InputSize, OutputSize);");
            w.Line(emitter.Plan.EnsureWorkspaceStatement("targets"));
            emitter.EmitTrainingCheck("targets");
            emitter.EmitTrainingReturn($"Kernels.BackwardFromTargets(Parameters, Gradients, Kernels.AlignedWorkspace(_workspace), inputs, targets, count{emitter.TrainingArguments})");
        }
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// One step of gradient descent: BackwardFromTargets, then Parameters -= learningRate * Gradients. Where the loss");
        w.Line("/// or any gradient is not finite (a non-finite target makes it so), Parameters stay as they were and the loss is returned. Not thread-safe.");
        w.Line("/// </summary>");
        w.Line(InputsDoc);
        w.Line(TargetsDoc);
        w.Line("/// <param name=\"learningRate\">The step size, a finite number, at least 0.</param>");
        w.Line(generatedCode);
        using (w.Block($"public {t} TrainStep({rs} inputs, {rs} targets, {t} learningRate)"))
        {
            w.Line("int count = Kernels.CheckTargets(inputs.Length, targets, InputSize, OutputSize);");
            w.Line("Kernels.CheckLearningRate(learningRate);");
            emitter.EmitTrainingCheck("targets");
            w.Line(emitter.Plan.EnsureWorkspaceStatement("targets"));
            w.Line($"{t} loss = Kernels.BackwardFromTargets(Parameters, Gradients, Kernels.AlignedWorkspace(_workspace), inputs, targets, count{emitter.TrainingArguments});");
            emitter.EmitApplyStep("loss", "learningRate");
            w.Line("return loss;");
        }
        w.Line();
    }

    public override void EmitPrepare(ILossWriter emitter)
    {
        CodeWriter w = emitter.Writer;
        string rs = emitter.Names.ReadOnlySpan, zero = "0" + emitter.Names.Literal;
        if (emitter.Plan.TrainsOneSample)
        {
            w.Line($"TrainStep(one, new {rs}(outputs, 0, OutputSize), {zero});");
        }
        w.Line($"TrainStep(inputs, outputs, {zero});");
        w.Line($"Loss(one, new {rs}(outputs, 0, OutputSize));");
        w.Line("Loss(inputs, outputs);");
    }

    public override void EmitKernels(ILossWriter emitter)
    {
        CodeWriter w = emitter.Writer;
        NetworkPlan plan = emitter.Plan;
        TypeNames names = emitter.Names;
        string rs = names.ReadOnlySpan, span = names.Span, t = names.Element;
        string outputs = emitter.ActivationOut(plan.Layers.Count - 1);
        int width = plan.OutputSize;

        w.Line("/// <summary>The mean squared error of a checked batch.</summary>");
        w.Line(NetworkEmitter.Optimized);
        using (w.Block($"public static {t} LossFromTargets({rs} p, {span} w, {rs} inputs, {rs} targets, int count{emitter.EvaluationParameters})"))
        {
            emitter.EmitEvaluationLocals();
            using (w.Block($"if ({KernelNames.UseColumns}(count))"))
            {
                w.Line(emitter.ForwardTrainingCall(Layout.Columns, training: false));
                w.Line(Invariant($"return {KernelNames.InLayout(KernelNames.MeanSquaredError, Layout.Columns)}({outputs}, targets, count, {width});"));
            }
            w.Line(emitter.ForwardTrainingCall(Layout.Rows, training: false));
            w.Line(Invariant($"return {KernelNames.MeanSquaredError}({outputs}, targets, count, {width});"));
        }
        w.Line();
        w.Line("/// <summary>Backpropagates the mean squared error of a checked batch into g and returns the loss.</summary>");
        w.Line(NetworkEmitter.Optimized);
        using (w.Block($"public static {t} BackwardFromTargets({rs} p, {span} g, {span} w, {rs} inputs, {rs} targets, int count{emitter.TrainingParameters})"))
        {
            emitter.EmitBackwardLocals();
            foreach (Layout layout in new[] { Layout.Columns, Layout.Rows })
            {
                string suffix = layout.Suffix();
                CodeWriter.Scope? scope = layout == Layout.Columns ? w.Block($"if ({KernelNames.UseColumns}(count))") : null;
                string loss = layout == Layout.Columns ? "lossOfColumns" : "loss";
                w.Line(emitter.ForwardTrainingCall(layout, training: true));
                w.Line(Invariant($"{t} {loss} = MeanSquaredError{suffix}({outputs}, targets, count, {width});"));
                w.Line("// The loss's gradient on the outputs: dy = 2 (y - t) / (N * OutputSize).");
                w.Line(Invariant($"{KernelNames.MeanSquaredErrorBackward}{suffix}({outputs}, targets, d1.Slice(0, count * {width}), count, {width});"));
                emitter.EmitBackPropagationFromD1(plan.Layers.Count - 1, layout);
                w.Line($"return {loss};");
                scope?.Dispose();
            }
        }
    }
}
