using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Kinds;
using NetGen.Generator.Kinds.Recurrent;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>
/// The public members of a sequence network (one with a GRU or LSTM layer), shared/API.md's
/// ISequenceNetwork: StateSize, ResetState, Step for one sequence and for many, whole-sequence Forward and
/// Backward, the INetwork members as sequences of one step, and the loss's members over sequences. Batches
/// of sequences are batch-first, <c>[batch, steps, width]</c>; non-recurrent layers act on each step alone,
/// so over a whole sequence they run as a batch of <c>batch * steps</c> rows.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>The recurrent kind of a layer, or null for one that acts on each step alone.</summary>
    private static RecurrentLayer? RecurrentKind(PlannedLayer layer) => layer.Layer.Definition() as RecurrentLayer;

    /// <summary>Where each recurrent layer's state starts in a sequence's state (index parallel to the plan's layers; -1 for the others).</summary>
    private IReadOnlyList<int> StateOffsets
    {
        get
        {
            var offsets = new List<int>();
            int offset = 0;
            foreach (PlannedLayer layer in _plan.Layers)
            {
                RecurrentLayer? recurrent = RecurrentKind(layer);
                offsets.Add(recurrent is null ? -1 : offset);
                offset += recurrent?.StateSize(layer.Layer) ?? 0;
            }
            return offsets;
        }
    }

    /// <summary>The interface a sequence network implements: with MSELoss ISequenceRegressor, with CrossEntropyLoss ISequenceClassifier, else ISequenceNetwork.</summary>
    private string SequenceContract => Spec.Loss?.Kind switch
    {
        null => "ISequenceNetwork",
        LossKind.MeanSquaredError => "ISequenceRegressor",
        LossKind.CrossEntropy => "ISequenceClassifier",
        _ => throw new System.ArgumentOutOfRangeException(nameof(Spec), Spec.Loss.Kind, "A loss the sequence emitter does not know: give it its contract here."),
    };

    /// <summary>State values per sequence: every recurrent layer's state, in declaration order.</summary>
    private int StateSize => _plan.Layers.Sum(l => RecurrentKind(l)?.StateSize(l.Layer) ?? 0);

    /// <summary>What a sequence's state holds, for the documentation: <c>layer 1's h [16], then layer 2's h then c [2 x 8]</c>.</summary>
    private string StateText => string.Join(", then ", _plan.Layers
        .Where(l => RecurrentKind(l) is not null)
        .Select(l => Invariant($"layer {l.Number}'s {RecurrentKind(l)!.StateText} [{RecurrentKind(l)!.StateSize(l.Layer)}]")));

    /// <summary>The file header's account of a sequence network's layout and passes.</summary>
    private void EmitSequenceFileHeader()
    {
        _w.Line("// A sequence network (ISequenceNetwork). Parameters: per layer in order, a Linear layer's weights row-major");
        _w.Line("// [outputs, inputs] then its bias; a GRU or LSTM layer's weight_ih, weight_hh, bias_ih and bias_hh, as PyTorch's");
        _w.Line("// state_dict has them. Layers other than GRU and LSTM act on each step alone. Step runs a block of");
        _w.Line("// sequences through every layer one step at a time (the recurrent kernels keep each gate's products in");
        _w.Line("// registers for one sequence and put sequences in the vector lanes for a block), and whole-sequence Forward");
        _w.Line("// steps the same way, so both give the same bits. Training runs each layer over whole sequences: a recurrent");
        _w.Line("// layer through time, keeping what back-propagation through time reads; the others over batch * steps rows.");
        _w.Line("// One sequence's step, per recurrent layer:");
        foreach (PlannedLayer layer in _plan.Layers.Where(l => RecurrentKind(l) is not null))
        {
            _w.Line(Invariant($"//   layer {layer.Number}, {layer.DisplayText}: {RecurrentStepPath(layer)}"));
        }
        if (Freezes)
        {
            _w.Line("// Freeze() gives a snapshot whose one-sequence Step reads, on .NET 8+ with AVX-512, a copy in which the weight");
            _w.Line(Invariant($"// matrices of layer {string.Join(", ", _plan.Layers.Where(StepsInColumns).Select(l => l.Number))} are input-major (GruStepColumns, LstmStepColumns): each input and h value broadcast into"));
            _w.Line("// whole vectors of gate outputs, no sums across lanes.");
        }
    }

    /// <summary>
    /// Which kernel runs one sequence's step of a recurrent layer, for the header: the runtime's rule
    /// (<c>FloatKernels.RecurrentLaneWidth</c>, which a generator test holds this to).
    /// </summary>
    private string RecurrentStepPath(PlannedLayer layer)
    {
        if (Spec.Deterministic)
        {
            return "the deterministic kernels (sequences in the vector lanes, sums in input order)";
        }
        int lanes = RecurrentLaneWidth(layer.Inputs, layer.Outputs);
        if (Spec.ElementType != ElementType.Float || lanes == 0)
        {
            return "gate products eight rows at a time in registers, then the gates over whole spans";
        }
        return Invariant($"on .NET 8+ with AVX-512 the whole step in {lanes * 32}-bit registers (elsewhere gate products eight rows at a time, then the gates over whole spans)");
    }

    /// <summary>The runtime's FloatKernels.RecurrentLaneWidth: 16 or 8 lanes for a float step in registers, 0 for the shared path.</summary>
    internal static int RecurrentLaneWidth(int inputs, int hidden)
        => inputs < 1 ? 0 : hidden % 16 == 0 ? 16 : hidden % 8 == 0 ? 8 : 0;

    private void EmitSequenceMembers()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span, t = _names.Element;
        string contract = _names.Contract("ISequenceNetwork");
        _w.Line($"/// <summary>State values per sequence: {StateText}.</summary>");
        _w.Line(Invariant($"public const int StateSize = {StateSize};"));
        _w.Line();
        _w.Line($"int {contract}.StateSize => StateSize;");
        _w.Line();
        _w.Line("/// <summary>Sets the states of states.Length / StateSize sequences to zero, PyTorch's default initial state. Allocation-free.</summary>");
        _w.Line("/// <param name=\"states\">Whole states, StateSize values each.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void ResetState({span} states)"))
        {
            _w.Line("if (states.Length % StateSize != 0) throw global::NetGen.Runtime.ArgumentErrors.PartialState(nameof(states), StateSize, states.Length);");
            _w.Line("states.Clear();");
        }
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// One step of one sequence: reads input and state, writes output and the new state over state. Allocates");
        _w.Line("/// nothing; safe to call from many threads at once on distinct states.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"input\">InputSize values: this step's input.</param>");
        _w.Line("/// <param name=\"output\">Receives OutputSize values.</param>");
        _w.Line("/// <param name=\"state\">StateSize values, read and updated (zero at a sequence's start: see ResetState).</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Step({rs} input, {span} output, {span} state)"))
        {
            _w.Line("if (input.Length != InputSize) throw Kernels.WrongLength(nameof(input), InputSize, input.Length, \"InputSize\");");
            _w.Line("if (output.Length != OutputSize) throw Kernels.WrongLength(nameof(output), OutputSize, output.Length, \"OutputSize\");");
            _w.Line("if (state.Length != StateSize) throw Kernels.WrongLength(nameof(state), StateSize, state.Length, \"StateSize\");");
            _w.Line("Kernels.StepOne(Parameters, input, output, state);");
        }
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// One step of batchSize independent sequences, each with its own state. Allocation-free once warm (a very");
        _w.Line("/// wide network rents its scratch from the shared array pool); safe to call from many threads at once on distinct states.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"inputs\">batchSize * InputSize values, sequence after sequence.</param>");
        _w.Line("/// <param name=\"outputs\">Receives batchSize * OutputSize values.</param>");
        _w.Line("/// <param name=\"states\">batchSize * StateSize values, read and updated.</param>");
        _w.Line("/// <param name=\"batchSize\">The number of sequences, at least 1.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Step({rs} inputs, {span} outputs, {span} states, int batchSize)"))
        {
            _w.Line("if (batchSize < 1) throw Kernels.EmptyBatch(nameof(batchSize), batchSize);");
            _w.Line("if (inputs.Length != (long)batchSize * InputSize) throw Kernels.WrongLength(nameof(inputs), (long)batchSize * InputSize, inputs.Length, \"batchSize * InputSize\");");
            _w.Line("if (outputs.Length != (long)batchSize * OutputSize) throw Kernels.WrongLength(nameof(outputs), (long)batchSize * OutputSize, outputs.Length, \"batchSize * OutputSize\");");
            _w.Line("if (states.Length != (long)batchSize * StateSize) throw Kernels.WrongLength(nameof(states), (long)batchSize * StateSize, states.Length, \"batchSize * StateSize\");");
            _w.Line("Kernels.Step(Parameters, inputs, outputs, states, batchSize);");
        }
        _w.Line();
        _w.Line("/// <summary>Runs one sample as a sequence of one step from the zero state. Allocation-free; safe to call from many threads at once.</summary>");
        _w.Line($"/// <param name=\"input\">{Invariant($"{_plan.InputSize}")} values (InputSize).</param>");
        _w.Line($"/// <param name=\"output\">Receives {Invariant($"{_plan.OutputSize}")} values (OutputSize).</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Forward({rs} input, {span} output)"))
        {
            _w.Line("if (input.Length != InputSize) throw Kernels.WrongLength(nameof(input), InputSize, input.Length, \"InputSize\");");
            _w.Line("if (output.Length != OutputSize) throw Kernels.WrongLength(nameof(output), OutputSize, output.Length, \"OutputSize\");");
            _w.Line("Kernels.ForwardSequences(Parameters, input, output, 1, 1);");
        }
        _w.Line();
        _w.Line("/// <summary>Runs each sample as a sequence of one step from the zero state. Allocation-free once warm; safe to call from many threads at once.</summary>");
        _w.Line("/// <param name=\"inputs\">batchSize * InputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"outputs\">Receives batchSize * OutputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"batchSize\">The number of samples, at least 1.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Forward({rs} inputs, {span} outputs, int batchSize)"))
        {
            _w.Line("if (batchSize < 1) throw Kernels.EmptyBatch(nameof(batchSize), batchSize);");
            _w.Line("if (inputs.Length != (long)batchSize * InputSize) throw Kernels.WrongLength(nameof(inputs), (long)batchSize * InputSize, inputs.Length, \"batchSize * InputSize\");");
            _w.Line("if (outputs.Length != (long)batchSize * OutputSize) throw Kernels.WrongLength(nameof(outputs), (long)batchSize * OutputSize, outputs.Length, \"batchSize * OutputSize\");");
            _w.Line("Kernels.ForwardSequences(Parameters, inputs, outputs, batchSize, 1);");
        }
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// Runs batchSize whole sequences of steps steps from the zero state: each step's outputs are those Step gives");
        _w.Line("/// (with the same batchSize) from zeroed states. Allocation-free once warm; safe to call from many threads at once.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"inputs\">[batchSize, steps, InputSize] values, row-major.</param>");
        _w.Line("/// <param name=\"outputs\">Receives [batchSize, steps, OutputSize] values, row-major.</param>");
        _w.Line("/// <param name=\"batchSize\">The number of sequences, at least 1.</param>");
        _w.Line("/// <param name=\"steps\">The steps of each sequence, at least 1.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Forward({rs} inputs, {span} outputs, int batchSize, int steps)"))
        {
            EmitSequenceShapeChecks();
            _w.Line("if (outputs.Length != (long)batchSize * steps * OutputSize) throw Kernels.WrongLength(nameof(outputs), (long)batchSize * steps * OutputSize, outputs.Length, \"batchSize * steps * OutputSize\");");
            _w.Line("Kernels.ForwardSequences(Parameters, inputs, outputs, batchSize, steps);");
        }
        _w.Line();
        EmitSequenceBackwardMembers();
        EmitSequenceLossMembers();
    }

    /// <summary>batchSize, steps and inputs, checked as every whole-sequence call checks them.</summary>
    private void EmitSequenceShapeChecks()
    {
        _w.Line("if (batchSize < 1) throw Kernels.EmptyBatch(nameof(batchSize), batchSize);");
        _w.Line("if (steps < 1) throw global::NetGen.Runtime.ArgumentErrors.NoSteps(nameof(steps), steps);");
        _w.Line("if (inputs.Length != (long)batchSize * steps * InputSize) throw Kernels.WrongLength(nameof(inputs), (long)batchSize * steps * InputSize, inputs.Length, \"batchSize * steps * InputSize\");");
    }

    private void EmitSequenceBackwardMembers()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span;
        _w.Line("/// <summary>");
        _w.Line("/// Back-propagation through time over batchSize sequences of steps steps from the zero state: sets Gradients to");
        _w.Line("/// d(sum of outputGradients * outputs) / d(Parameters), overwriting them, and, unless inputGradients is empty,");
        _w.Line("/// writes d/d(inputs) of the same sum there. Not thread-safe (it uses the instance's training workspace).");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"inputs\">[batchSize, steps, InputSize] values.</param>");
        _w.Line("/// <param name=\"outputGradients\">[batchSize, steps, OutputSize] values: the upstream gradient on the outputs.</param>");
        _w.Line("/// <param name=\"inputGradients\">Receives [batchSize, steps, InputSize] values; empty where they are not wanted.</param>");
        _w.Line("/// <param name=\"batchSize\">The number of sequences, at least 1.</param>");
        _w.Line("/// <param name=\"steps\">The steps of each sequence, at least 1.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Backward({rs} inputs, {rs} outputGradients, {span} inputGradients, int batchSize, int steps)"))
        {
            EmitSequenceShapeChecks();
            _w.Line("if (outputGradients.Length != (long)batchSize * steps * OutputSize) throw Kernels.WrongLength(nameof(outputGradients), (long)batchSize * steps * OutputSize, outputGradients.Length, \"batchSize * steps * OutputSize\");");
            _w.Line("if (!inputGradients.IsEmpty && inputGradients.Length != inputs.Length) throw Kernels.WrongLength(nameof(inputGradients), inputs.Length, inputGradients.Length, \"inputs.Length, or 0 for none\");");
            _w.Line("Kernels.EnsureWorkspace(ref _workspace, ref _workspaceSamples, batchSize * steps, WorkspacePerSample, nameof(inputs));");
            _w.Line("Kernels.BackwardFromOutputGradients(Parameters, Gradients, Kernels.AlignedWorkspace(_workspace), inputs, outputGradients, inputGradients, batchSize, steps);");
        }
        _w.Line();
        foreach (bool withInputGradients in new[] { false, true })
        {
            _w.Line(withInputGradients
                ? "/// <summary>As the whole-sequence Backward, each sample a sequence of one step from the zero state, also writing d/d(inputs) into inputGradients. Not thread-safe.</summary>"
                : "/// <summary>As the whole-sequence Backward, each sample a sequence of one step from the zero state; the batch size is outputGradients.Length / OutputSize. Not thread-safe.</summary>");
            _w.Line("/// <param name=\"inputs\">batch * InputSize values, sample after sample.</param>");
            _w.Line("/// <param name=\"outputGradients\">batch * OutputSize values: the upstream gradient on the outputs.</param>");
            if (withInputGradients)
            {
                _w.Line("/// <param name=\"inputGradients\">Receives batch * InputSize values, sample after sample.</param>");
            }
            _w.Line(GeneratedCode);
            using (_w.Block(withInputGradients
                ? $"public void Backward({rs} inputs, {rs} outputGradients, {span} inputGradients)"
                : $"public void Backward({rs} inputs, {rs} outputGradients)"))
            {
                _w.Line("if (outputGradients.Length == 0) throw Kernels.EmptyBatch(nameof(outputGradients), 0);");
                _w.Line("if (outputGradients.Length % OutputSize != 0) throw Kernels.PartialSample(nameof(outputGradients), OutputSize, outputGradients.Length);");
                _w.Line("int count = outputGradients.Length / OutputSize;");
                _w.Line("if (inputs.Length != (long)count * InputSize) throw Kernels.WrongLength(nameof(inputs), (long)count * InputSize, inputs.Length, \"(outputGradients.Length / OutputSize) * InputSize\");");
                if (withInputGradients)
                {
                    _w.Line("if (inputGradients.Length != inputs.Length) throw Kernels.WrongLength(nameof(inputGradients), inputs.Length, inputGradients.Length, \"inputs.Length\");");
                }
                _w.Line($"Backward(inputs, outputGradients, {(withInputGradients ? "inputGradients" : "default")}, count, 1);");
            }
            _w.Line();
        }
    }

    /// <summary>The loss's members over sequences: MSELoss against targets [batch, steps, OutputSize], CrossEntropyLoss against labels [batch, steps].</summary>
    private void EmitSequenceLossMembers()
    {
        if (Spec.Loss is null)
        {
            return;
        }
        string rs = _names.ReadOnlySpan, t = _names.Element;
        bool labels = Spec.Loss.Kind switch
        {
            LossKind.CrossEntropy => true,
            LossKind.MeanSquaredError => false,
            _ => throw new System.ArgumentOutOfRangeException(nameof(Spec), Spec.Loss.Kind, "A loss the sequence emitter does not know: add its members here."),
        };
        string targetType = labels ? "global::System.ReadOnlySpan<int>" : rs;
        string target = labels ? "labels" : "targets";
        string targetDoc = labels
            ? "/// <param name=\"labels\">[batch, steps] class indices, each in [0, OutputSize); the batch size is labels.Length / steps.</param>"
            : "/// <param name=\"targets\">[batch, steps, OutputSize] target values; the batch size is targets.Length / (steps * OutputSize).</param>";
        string mean = labels ? "The mean cross-entropy over every step of every sequence" : "The mean squared error over every output value of every step (PyTorch's mse_loss on the whole output)";
        string backward = labels ? "Backward" : "BackwardFromTargets";
        string width = labels ? "1" : "OutputSize";
        string meaning = labels ? "steps" : "steps * OutputSize";
        const string InputsDoc = "/// <param name=\"inputs\">[batch, steps, InputSize] values.</param>";
        const string StepsDoc = "/// <param name=\"steps\">The steps of each sequence, at least 1.</param>";

        void Checks()
        {
            _w.Line("if (steps < 1) throw global::NetGen.Runtime.ArgumentErrors.NoSteps(nameof(steps), steps);");
            _w.Line($"if ({target}.Length == 0 || {target}.Length % ((long)steps * {width}) != 0) throw global::NetGen.Runtime.ArgumentErrors.PartialSequence(nameof({target}), (long)steps * {width}, {target}.Length, \"{meaning}\");");
            _w.Line(labels
                ? "int rows = Kernels.CheckLabeledBatch(inputs.Length, labels, InputSize, OutputSize);"
                : "int rows = Kernels.CheckTargets(inputs.Length, targets, InputSize, OutputSize);");
            _w.Line($"Kernels.EnsureWorkspace(ref _workspace, ref _workspaceSamples, rows, WorkspacePerSample, nameof({target}));");
        }

        _w.Line($"/// <summary>{mean}, from the zero state, summed in double. Not thread-safe.</summary>");
        _w.Line(InputsDoc);
        _w.Line(targetDoc);
        _w.Line(StepsDoc);
        _w.Line(GeneratedCode);
        using (_w.Block($"public {t} Loss({rs} inputs, {targetType} {target}, int steps)"))
        {
            Checks();
            _w.Line($"return Kernels.SequenceLoss(Parameters, Kernels.AlignedWorkspace(_workspace), inputs, {target}, rows / steps, steps);");
        }
        _w.Line();
        _w.Line($"/// <summary>Sets Gradients to d(loss)/d(Parameters) by back-propagation through time, overwriting them, and returns the loss ({(labels ? "mean cross-entropy" : "mean squared error")}). Not thread-safe.</summary>");
        _w.Line(InputsDoc);
        _w.Line(targetDoc);
        _w.Line(StepsDoc);
        _w.Line(GeneratedCode);
        using (_w.Block($"public {t} {backward}({rs} inputs, {targetType} {target}, int steps)"))
        {
            Checks();
            _w.Line($"return Kernels.SequenceLossBackward(Parameters, Gradients, Kernels.AlignedWorkspace(_workspace), inputs, {target}, rows / steps, steps);");
        }
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line($"/// One step of gradient descent over sequences: {backward}, then Parameters -= learningRate * Gradients. Where the");
        _w.Line("/// loss or any gradient is not finite, Parameters stay as they were and the loss is returned. Not thread-safe.");
        _w.Line("/// </summary>");
        _w.Line(InputsDoc);
        _w.Line(targetDoc);
        _w.Line(StepsDoc);
        _w.Line("/// <param name=\"learningRate\">The step size, a finite number, at least 0.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public {t} TrainStep({rs} inputs, {targetType} {target}, int steps, {t} learningRate)"))
        {
            Checks();
            _w.Line("Kernels.CheckLearningRate(learningRate);");
            _w.Line($"{t} loss = Kernels.SequenceLossBackward(Parameters, Gradients, Kernels.AlignedWorkspace(_workspace), inputs, {target}, rows / steps, steps);");
            _w.Line("Kernels.ApplyStep(Parameters, Gradients, loss, learningRate);");
            _w.Line("return loss;");
        }
        _w.Line();
    }

    /// <summary>Prepare() of a sequence network: every pass once on zeros, for one sequence and for a vector of them.</summary>
    private void EmitSequencePrepare()
    {
        string t = _names.Element, rs = _names.ReadOnlySpan, span = _names.Span;
        _w.Line("/// <summary>");
        _w.Line("/// Compiles every kernel this network runs ahead of its first use, for a loading screen: runs each pass once");
        _w.Line("/// on zeros, for one sequence and for a batch of one vector of sequences, of two steps. Parameters are");
        _w.Line("/// unchanged and Gradients restored; the training workspace is grown for that batch. Allocates; not thread-safe.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        using (_w.Block("public void Prepare()"))
        {
            _w.Line($"int batch = {_names.VectorOfElement}.Count;");
            _w.Line($"var inputs = new {t}[batch * 2 * InputSize];");
            _w.Line($"var outputs = new {t}[batch * 2 * OutputSize];");
            _w.Line($"var states = new {t}[batch * StateSize];");
            _w.Line($"var inputGradients = new {t}[batch * 2 * InputSize];");
            _w.Line($"var gradients = ({t}[])Gradients.Clone();");
            _w.Line($"Step(new {rs}(inputs, 0, InputSize), new {span}(outputs, 0, OutputSize), new {span}(states, 0, StateSize));");
            _w.Line($"Step(new {rs}(inputs, 0, batch * InputSize), new {span}(outputs, 0, batch * OutputSize), states, batch);");
            _w.Line($"Forward(new {rs}(inputs, 0, 2 * InputSize), new {span}(outputs, 0, 2 * OutputSize), 1, 2);");
            _w.Line("Forward(inputs, outputs, batch, 2);");
            _w.Line($"Backward(new {rs}(inputs, 0, 2 * InputSize), new {rs}(outputs, 0, 2 * OutputSize), default, 1, 2);");
            _w.Line("Backward(inputs, outputs, inputGradients, batch, 2);");
            if (Spec.Loss is not null)
            {
                string zero = "0" + _names.Literal;
                if (Spec.Loss.Kind == LossKind.CrossEntropy)
                {
                    _w.Line("var labels = new int[batch * 2];");
                    _w.Line($"TrainStep(inputs, labels, 2, {zero});");
                    _w.Line("Loss(inputs, labels, 2);");
                }
                else
                {
                    _w.Line($"TrainStep(inputs, outputs, 2, {zero});");
                    _w.Line("Loss(inputs, outputs, 2);");
                }
            }
            _w.Line("gradients.CopyTo(Gradients, 0);");
        }
        _w.Line();
    }
}
