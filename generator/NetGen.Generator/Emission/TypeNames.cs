using NetGen.Generator.Model;

namespace NetGen.Generator.Emission;

/// <summary>
/// Every type name the generated code spells, in one table. Names outside the network's own nested
/// <c>Kernels</c> class are fully qualified with <c>global::</c>, so that no type of the user's (a class
/// called <c>Span</c> or <c>NetGen</c>) can capture them; inside it the shared kernels are inherited and
/// need no qualification at all.
/// </summary>
internal sealed class TypeNames
{
    public static readonly string GeneratedCodeAttribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"NetGen.Generator\", \"" + GeneratorInfo.Version + "\")]";

    public const string LinearShape = "global::NetGen.Runtime.ILinearShape";

    public const string ArrayPool = "global::System.Buffers.ArrayPool";

    public const string Vector = "global::System.Numerics.Vector";

    public TypeNames(ElementType elementType, bool deterministic = false)
    {
        Element = elementType == ElementType.Float ? "float" : "double";
        Literal = elementType == ElementType.Float ? "f" : "d";
        ReadOnlySpan = $"global::System.ReadOnlySpan<{Element}>";
        Span = $"global::System.Span<{Element}>";
        string kernels = elementType == ElementType.Float ? "FloatKernels" : "DoubleKernels";
        KernelBase = "global::NetGen.Runtime." + (deterministic ? "Deterministic" + kernels : kernels);
        VectorOfElement = $"global::System.Numerics.Vector<{Element}>";
    }

    /// <summary>The element type's keyword: <c>float</c> or <c>double</c>.</summary>
    public string Element { get; }

    /// <summary>The suffix of the element type's literals: <c>f</c> or <c>d</c>.</summary>
    public string Literal { get; }

    public string ReadOnlySpan { get; }

    public string Span { get; }

    /// <summary>The shared kernels' class that the nested <c>Kernels</c> class derives from.</summary>
    public string KernelBase { get; }

    public string VectorOfElement { get; }

    public string Contract(string name) => $"global::NetGen.{name}<{Element}>";
}
