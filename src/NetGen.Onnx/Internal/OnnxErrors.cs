using System.IO;

namespace NetGen.Onnx.Internal;

/// <summary>The one way ONNX weight loading fails, so that every message starts alike.</summary>
internal static class OnnxErrors
{
    private const string Prefix = "Cannot load ONNX weights: ";

    public static InvalidDataException Invalid(string reason) => new(Prefix + reason);
}
