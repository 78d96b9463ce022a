namespace NetGen.Benchmarks;

/// <summary>The three timed workloads, used as BenchmarkDotNet categories and by the FLOP columns.</summary>
public static class Workloads
{
    public const string Forward1 = "Forward, 1 sample";
    public const string Forward64 = "Forward, batch 64";
    public const string TrainStep64 = "TrainStep, batch 64";

    /// <summary>FLOPs of one invocation of <paramref name="workload"/> on <paramref name="shape"/>, or null if unknown.</summary>
    public static long? Flops(string workload, NetworkShape shape) => workload switch
    {
        Forward1 => shape.ForwardFlopsPerSample,
        Forward64 => NetworkBenchmarks.BatchSize * shape.ForwardFlopsPerSample,
        TrainStep64 => NetworkBenchmarks.BatchSize * shape.TrainStepFlopsPerSample,
        _ => null,
    };
}
