namespace NetGen.Generator.Emission;

/// <summary>
/// How a pass holds a batch: sample-major rows (value k of sample s at <c>[s * width + k]</c>), for one
/// sample, small batches and runtimes without hardware vectors; or feature-major columns (at
/// <c>[k * count + s]</c>), samples along the vector lanes, for batches of at least a vector of samples.
/// </summary>
internal enum Layout
{
    Rows,
    Columns,
}

internal static class LayoutExtensions
{
    /// <summary>What the shared kernels of this layout are called after: <c>SoftmaxForward</c> or <c>SoftmaxForwardColumns</c>.</summary>
    public static string Suffix(this Layout layout) => layout switch
    {
        Layout.Rows => "",
        Layout.Columns => "Columns",
        _ => throw new System.ArgumentOutOfRangeException(nameof(layout), layout, "No such layout."),
    };
}
