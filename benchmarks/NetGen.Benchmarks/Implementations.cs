namespace NetGen.Benchmarks;

/// <summary>The compared implementations: each benchmark method's name starts with one of these.</summary>
public static class Implementations
{
    public const string HandWritten = "HandWritten";
    public const string Onnx = "Onnx";
    public const string NetGen = "NetGen";

    public static readonly string[] All = [HandWritten, Onnx, NetGen];
}
