using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports. Each is an error that says what to write instead; a class with
/// any of them gets no generated code. The catalogue is mirrored in README.md and
/// AnalyzerReleases.Unshipped.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NetGen";

    /// <summary>
    /// NG0007's property holding the width that flows into the Linear, so that the code fix in
    /// NetGen.CodeFixes (which repeats this name) need not walk the layers again.
    /// </summary>
    public const string ExpectedInputsProperty = "ExpectedInputs";
    private const string HelpLinkBase = "https://example.invalid/netgen/README.md#diagnostics";

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "-" + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "-" + id.ToLowerInvariant());

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "NG0001", "Network class must be partial",
        "Network class '{0}' must be partial, because NetGen adds its members in a generated part: write 'partial class {0}'");

    public static readonly DiagnosticDescriptor Generic = Error(
        "NG0002", "Network class must not be generic",
        "Network class '{0}' must not be generic or nested in a generic type: remove the type parameters and choose the element type with [Network(typeof(double))]");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "NG0003", "Types containing a network must be partial",
        "Network class '{0}' is nested in '{1}', which must be partial too: write 'partial' on '{1}'");

    public static readonly DiagnosticDescriptor UnsupportedElementType = Error(
        "NG0004", "Unsupported element type",
        "Element type '{0}' is not supported: write [Network] for float or [Network(typeof(double))] for double");

    public static readonly DiagnosticDescriptor NoLinearLayer = Error(
        "NG0005", "Network has no Linear layer",
        "Network '{0}' has no [Linear] layer, so it has no input width and nothing to train: add one, e.g. [Linear(inputs, outputs)]");

    public static readonly DiagnosticDescriptor NonPositiveSize = Error(
        "NG0006", "Linear sizes must be positive",
        "[Linear({0}, {1})] needs both sizes to be at least 1: write the number of values flowing in and out");

    public static readonly DiagnosticDescriptor WidthMismatch = Error(
        "NG0007", "Linear inputs do not match the width flowing in",
        "[Linear({0}, {1})] takes {0} inputs, but {2} values flow into it from {3}: write [Linear({2}, {1})]");

    public static readonly DiagnosticDescriptor LossNotLast = Error(
        "NG0008", "A loss must be the last layer attribute",
        "[{1}] must be the last layer attribute, but [{0}] follows it: move [{1}] to the end");

    public static readonly DiagnosticDescriptor LossWithoutSoftmax = Error(
        "NG0009", "A loss must follow the layer it needs",
        "[{1}] must come directly after [{2}], but it follows {0}: add [{2}] just before it");

    public static readonly DiagnosticDescriptor TooManyParameters = Error(
        "NG0010", "Too many parameters",
        "With [Linear({0}, {1})] the network has {2} parameters, more than a .NET array holds ({3}): use smaller layers");

    public static readonly DiagnosticDescriptor NotAClass = Error(
        "NG0011", "Network must be a plain class",
        "'{0}' is a {1}, but [Network] needs a plain class: write 'partial class {0}'");

    public static readonly DiagnosticDescriptor StaticClass = Error(
        "NG0012", "Network class must not be static",
        "Network class '{0}' is static, but a network holds its parameters in instances: remove 'static'");

    public static readonly DiagnosticDescriptor WorkspaceTooLarge = Error(
        "NG0013", "Activations too wide to train",
        "With [{0}] one sample's training workspace (every activation, kept for backpropagation, and two gradient buffers as wide as the widest) holds {1} values, more than a .NET array holds ({2}): use narrower layers or fewer activations");

    public static readonly DiagnosticDescriptor FullUnrollDeclined = Warning(
        "NG0020", "FullUnroll declined for a large layer",
        "FullUnroll does not write out [Linear({0}, {1})]: its {2} weights are past {3}, where a written-out forward runs slower than the shared vector kernel and its source and first-call compile time grow without bound; the layer uses the shared kernel (remove FullUnroll to silence this)");
}
