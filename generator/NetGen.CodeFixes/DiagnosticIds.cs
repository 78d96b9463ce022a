namespace NetGen.CodeFixes;

/// <summary>
/// The ids and property names of the generator's diagnostics that have fixes. Repeated here rather
/// than shared: the generator assembly must not be loaded by, or depend on, this one (it ships
/// without Workspaces), and ids never change once shipped (AnalyzerReleases.Shipped.md).
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>The network class is not partial.</summary>
    public const string NotPartial = "NG0001";

    /// <summary>A type containing the network is not partial.</summary>
    public const string ContainingTypeNotPartial = "NG0003";

    /// <summary>A Linear's inputs differ from the width flowing into it.</summary>
    public const string WidthMismatch = "NG0007";

    /// <summary>A Linear or Softmax receives a shape of rank 2 or 3 with no Flatten before it.</summary>
    public const string FlatInputNeeded = "NG0053";

    /// <summary>A type has NetGen layer attributes but no [Network].</summary>
    public const string LayersWithoutNetwork = "NG0016";

    /// <summary>NG0007's property: the width that flows into the Linear, as invariant-culture digits.</summary>
    public const string ExpectedInputsProperty = "ExpectedInputs";
}
