using NetGen.Generator.Emission;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Kinds.Losses;

/// <summary>
/// What a loss may use to write its members: the writer, the plan and type names, where an activation
/// lives in the training workspace, and the two pieces of the training pass it joins (the delta buffers'
/// locals, and the walk back from the delta it writes into d1). Nothing else of the emitter's.
/// </summary>
internal interface ILossWriter
{
    CodeWriter Writer { get; }

    NetworkPlan Plan { get; }

    TypeNames Names { get; }

    /// <summary>The training workspace span that holds the output of the layer at <paramref name="index"/>.</summary>
    string ActivationOut(int index);

    /// <summary>Declares d1, d2, t1 and t2 over the workspace, as every backward pass does.</summary>
    void EmitBackwardLocals();

    /// <summary>Backpropagates the delta the loss wrote into d1, at the output of the layer at <paramref name="from"/>, down through the network.</summary>
    void EmitBackPropagationFromD1(int from, Layout layout);

    /// <summary>What an evaluation-mode kernel (the loss alone) takes after its own parameters: the buffers, where some node trains differently; else nothing.</summary>
    string EvaluationParameters { get; }

    /// <summary>What the public member passes for <see cref="EvaluationParameters"/>.</summary>
    string EvaluationArguments { get; }

    /// <summary>What a training kernel takes after its own parameters: the buffers and the dropout generator's state, where some node trains differently; else nothing.</summary>
    string TrainingParameters { get; }

    /// <summary>What the public member passes for <see cref="TrainingParameters"/>.</summary>
    string TrainingArguments { get; }

    /// <summary>The statement that runs the forward that keeps activations, in training or evaluation mode.</summary>
    string ForwardTrainingCall(Layout layout, bool training);

    /// <summary>Declares what an evaluation-mode kernel needs before its <see cref="ForwardTrainingCall"/> (a generator state it never draws from).</summary>
    void EmitEvaluationLocals();

    /// <summary>In a public training member, after count is known: refuses a batch too small for batch statistics.</summary>
    void EmitTrainingCheck(string parameterName);

    /// <summary>In a public training member that keeps what it computed: returns <paramref name="call"/>'s loss, committing what training changes besides the gradients (running statistics) first.</summary>
    void EmitTrainingReturn(string call);

    /// <summary>A training step's update of the parameters from the gradients and the loss, committing the rest where it is applied.</summary>
    void EmitApplyStep(string loss, string learningRate);
}
