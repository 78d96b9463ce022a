using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// One parameter tensor of a <see cref="NetworkLayer"/>: where its values are in
/// <see cref="INetwork{T}.Parameters"/>, its shape, and its name in the <c>state_dict</c> of the equivalent
/// PyTorch <c>nn.Sequential</c>. Every kind's tensors come from one layout table that the generator
/// shares, so these are exactly the ranges the generated code reads.
/// </summary>
public sealed class NetworkTensor
{
    internal NetworkTensor(string name, string stateDictName, IReadOnlyList<int> shape, int offset, int count)
    {
        Name = name;
        StateDictName = stateDictName;
        Shape = shape;
        Offset = offset;
        Count = count;
    }

    /// <summary>The tensor's name within its module, as PyTorch has it: <c>weight</c>, <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>Its key in the equivalent <c>nn.Sequential</c>'s state_dict: <c>2.weight</c>.</summary>
    public string StateDictName { get; }

    /// <summary>Its shape in PyTorch's row-major layout, outermost first (a Linear weight: <c>[outputs, inputs]</c>).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Where its values start in <see cref="INetwork{T}.Parameters"/> (for one of <see cref="NetworkLayer.Buffers"/>, in <see cref="INetwork{T}.Buffers"/>).</summary>
    public int Offset { get; }

    /// <summary>How many values it has: the product of <see cref="Shape"/>.</summary>
    public int Count { get; }

    /// <inheritdoc />
    public override string ToString() => StateDictName;
}
