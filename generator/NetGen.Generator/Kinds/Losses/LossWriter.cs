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
}
