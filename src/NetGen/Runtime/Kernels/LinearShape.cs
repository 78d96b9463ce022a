using System.ComponentModel;

namespace NetGen.Runtime;

/// <summary>
/// One Linear layer's sizes and place in the parameters, as a generated empty struct whose properties
/// return constants. The shared kernels take it as a type argument: the JIT compiles a copy of each
/// kernel per layer with these numbers folded in, as if the kernel had been written for that layer.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ILinearShape
{
    /// <summary>Values flowing in.</summary>
    int Inputs { get; }

    /// <summary>Values flowing out.</summary>
    int Outputs { get; }

    /// <summary>Where the layer's weights start in the parameters; its bias follows them.</summary>
    int Offset { get; }
}
