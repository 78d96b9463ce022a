using NetGen.Generator.Kinds;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>
/// What a network whose layers train differently adds to the passes: inference reads the buffers (running
/// statistics); the forward that keeps activations takes the mode and the dropout generator's state; a
/// training call checks its batch is large enough for batch statistics, and commits the running statistics
/// once it is kept. A network without such layers gets none of it, so its file is as it was.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>The inference passes' parameters: the parameters, and the buffers where a node reads them.</summary>
    private string InferenceParameters => _plan.BufferCount > 0 ? $"{_names.ReadOnlySpan} p, {_names.ReadOnlySpan} b" : $"{_names.ReadOnlySpan} p";

    /// <summary>What the public members pass for <see cref="InferenceParameters"/>.</summary>
    private string InferenceArguments => _plan.BufferCount > 0 ? "Parameters, Buffers" : "Parameters";

    public string EvaluationParameters => _plan.ModeDiffers ? $", {_names.ReadOnlySpan} b" : "";

    public string EvaluationArguments => _plan.ModeDiffers ? ", Buffers" : "";

    public string TrainingParameters => _plan.ModeDiffers ? $", {_names.ReadOnlySpan} b, ref ulong random" : "";

    public string TrainingArguments => _plan.ModeDiffers ? ", Buffers, ref _dropoutState" : "";

    public string ForwardTrainingCall(Layout layout, bool training) => _plan.ModeDiffers
        ? $"ForwardTraining{layout.Suffix()}(p, b, w, inputs, count, {(training ? "true" : "false")}, ref random);"
        : $"ForwardTraining{layout.Suffix()}(p, w, inputs, count);";

    public void EmitEvaluationLocals()
    {
        if (_plan.ModeDiffers)
        {
            _w.Line("// Evaluation mode: no dropout mask is drawn, so the generator's state is a local that nothing reads.");
            _w.Line("ulong random = 0;");
        }
    }

    public void EmitTrainingCheck(string parameterName)
    {
        if (_plan.TrainingValuesPerChannel == 1)
        {
            _w.Line($"if (count < 2) throw Kernels.TooFewForBatchNorm(nameof({parameterName}), count, 1);");
        }
    }

    public void EmitTrainingReturn(string call)
    {
        if (_plan.BufferCount == 0)
        {
            _w.Line($"return {call};");
            return;
        }
        _w.Line($"{_names.Element} loss = {call};");
        EmitCommitTraining();
        _w.Line("return loss;");
    }

    public void EmitApplyStep(string loss, string learningRate)
    {
        string step = $"Kernels.ApplyStep(Parameters, Gradients, {loss}, {learningRate})";
        if (_plan.BufferCount == 0)
        {
            _w.Line(step + ";");
            return;
        }
        using (_w.Block($"if ({step})"))
        {
            _w.Line("// The step was taken, so the batch counts for the running statistics too; a skipped step leaves them as they were.");
            EmitCommitTraining();
        }
    }

    /// <summary>Commits a kept training call's running statistics (nothing without batch norm).</summary>
    private void EmitCommitTraining()
    {
        if (_plan.BufferCount > 0)
        {
            _w.Line("Kernels.UpdateRunningStatistics(Buffers, Kernels.AlignedWorkspace(_workspace), count);");
        }
    }

    /// <summary>The kernel that updates every BatchNorm layer's running statistics from what its training forward kept in the workspace.</summary>
    private void EmitUpdateRunningStatistics()
    {
        _w.Line("/// <summary>Updates each BatchNorm layer's running statistics once, from the batch statistics the last training forward kept in w.</summary>");
        using (_w.Block($"public static void UpdateRunningStatistics({_names.Span} b, {_names.ReadOnlySpan} w, int count)"))
        {
            foreach (PlannedLayer layer in _plan.Layers)
            {
                LayerCatalog.For(layer.Layer.Kind).EmitCommitTraining(_w, layer, _plan);
            }
        }
    }
}
