using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks.Reporting;

/// <summary>
/// How many times faster each row is than <see cref="Reference"/> on the same workload and network:
/// the reference's mean time over the row's. One column per reference (hand-written, ONNX Runtime), so
/// a NetGen row reads "NetGen vs hand-written" and "NetGen vs ONNX" side by side; BenchmarkDotNet's
/// own Ratio column knows only one baseline.
/// </summary>
public sealed class SpeedupColumn(string reference, string label) : IColumn
{
    public string Reference { get; } = reference;

    public string Id => nameof(SpeedupColumn) + "." + Reference;

    public string ColumnName => "x vs " + label;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 2;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Speed-up over {label} on the same workload and network: its mean time / this row's (above 1 is faster)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        MeasuredCase row = MeasuredCase.Of(summary, benchmarkCase);
        if (row.MeanNanoseconds is not double mean || mean <= 0
            || row.Sibling(summary, Reference)?.MeanNanoseconds is not double referenceMean)
        {
            return "-";
        }

        return (referenceMean / mean).ToString("0.00", style?.CultureInfo ?? CultureInfo.InvariantCulture) + "x";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
