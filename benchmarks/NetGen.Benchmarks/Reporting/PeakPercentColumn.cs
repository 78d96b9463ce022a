using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks.Reporting;

/// <summary>Each row's GFLOP/s as a percentage of the machine's single-thread FMA peak (<see cref="RooflineReference"/>).</summary>
public sealed class PeakPercentColumn : IColumn
{
    public string Id => nameof(PeakPercentColumn);

    public string ColumnName => "% peak";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "GFLOP/s as a percentage of the single-thread FMA peak: the faster RooflineBenchmarks row (Vector<float> or Vector512)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (MeasuredCase.Of(summary, benchmarkCase).GflopsPerSecond is not double gflops)
        {
            return "-";
        }

        double roofline = RooflineReference.For(summary).Gflops;
        return (100 * gflops / roofline).ToString("0.0", style?.CultureInfo ?? CultureInfo.InvariantCulture) + "%";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
