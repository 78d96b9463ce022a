using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks.Reporting;

/// <summary>Each row's GFLOP/s as a percentage of the single-thread Vector&lt;float&gt; FMA roofline.</summary>
public sealed class RooflinePercentColumn : IColumn
{
    public string Id => nameof(RooflinePercentColumn);

    public string ColumnName => "% roofline";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "GFLOP/s as a percentage of the single-thread Vector<float> FMA peak (RooflineBenchmarks.VectorT)";

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
