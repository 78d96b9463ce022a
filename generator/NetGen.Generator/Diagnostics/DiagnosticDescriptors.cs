using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports, each saying what to write instead. An error means the class gets
/// no generated code; a warning is about an attribute NetGen ignores, and code is still generated.
/// The catalogue is mirrored in README.md (a heading per id, which each help link points at) and in
/// AnalyzerReleases.Unshipped.md; tests hold all three in step through <see cref="All"/>.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NetGen";

    /// <summary>
    /// NG0007's property holding the width that flows into the Linear, so that the code fix in
    /// NetGen.CodeFixes (which repeats this name) need not walk the layers again.
    /// </summary>
    public const string ExpectedInputsProperty = "ExpectedInputs";
    private const string HelpLinkBase = "https://example.invalid/netgen/README.md";

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => Create(id, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message)
        => Create(id, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity)
        => new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "#" + HeadingSlug(id + ": " + title));

    /// <summary>
    /// The anchor GitHub gives the README heading <c>### NG0001: Network class must be partial</c>:
    /// lower case, every character that is not a letter, digit, space, '-' or '_' dropped, spaces
    /// turned into '-'. Derived from the title rather than spelled out, so that a link cannot drift
    /// from its heading without the README test noticing.
    /// </summary>
    private static string HeadingSlug(string heading)
    {
        var slug = new StringBuilder(heading.Length);
        foreach (char c in heading.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }
        return slug.ToString();
    }

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
        "NG0005", "Network has no layer with parameters",
        "Network '{0}' has no layer with parameters that states its input width, so it has no input width and nothing to train: add one, e.g. [Linear(inputs, outputs)]");

    public static readonly DiagnosticDescriptor NonPositiveSize = Error(
        "NG0006", "Layer sizes must be positive",
        "[{0}] needs its {1} to be at least 1: write the number of values flowing in and out");

    public static readonly DiagnosticDescriptor WidthMismatch = Error(
        "NG0007", "Layer inputs do not match the width flowing in",
        "[{0}] takes {1} inputs, but {2} values flow into it from {3}: write [{4}]");

    public static readonly DiagnosticDescriptor LossNotLast = Error(
        "NG0008", "A loss must be the last layer attribute",
        "[{1}] must be the last layer attribute, but [{0}] follows it: move [{1}] to the end");

    public static readonly DiagnosticDescriptor LossWithoutSoftmax = Error(
        "NG0009", "A loss must follow the layer it needs",
        "[{1}] must come directly after [{2}], but it follows {0}: add [{2}] just before it");

    public static readonly DiagnosticDescriptor TooManyParameters = Error(
        "NG0010", "Too many parameters",
        "With [{0}] the network has {1} parameters, more than a .NET array holds ({2}): use smaller layers");

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
        "FullUnroll does not write out [Linear({0}, {1})]: its {2} weights are past {3}, and a written-out forward grows the source and its first call's compile time with every weight (a 1024 x 1024 layer made 5.9 MB, took 600 ms to compile and ran 10x slower than the loop); the layer uses the shared kernel (remove FullUnroll to silence this)");

    public static readonly DiagnosticDescriptor NotANetGenLayer = Warning(
        "NG0014", "Attribute looks like a layer but is not NetGen's",
        "[{0}] is '{1}', which is not a NetGen layer, so network '{2}' ignores it: {3}");

    public static readonly DiagnosticDescriptor LayersOnAnotherDeclaration = Error(
        "NG0015", "Layers must be on the declaration with [Network]",
        "[{0}] is on a declaration of '{1}' without [Network], but NetGen reads the layers only from the declaration that carries [Network]: move it there, keeping every layer on that one declaration, in order");

    public static readonly DiagnosticDescriptor LayersWithoutNetwork = Warning(
        "NG0016", "Layer attributes without [Network]",
        "'{0}' has NetGen layer attributes but no [Network], so nothing is generated for it: add [Network] (float) or [Network(typeof(double))] before [{1}]");

    public static readonly DiagnosticDescriptor SecondLoss = Error(
        "NG0017", "A network has one loss",
        "[{0}] is a second loss, after [{1}], but a network has one loss: remove one of them");

    public static readonly DiagnosticDescriptor NonFiniteSlope = Error(
        "NG0021", "LeakyReLU slope must be a finite number",
        "[LeakyReLU({0})] needs a finite slope for negative inputs: write a number such as [LeakyReLU(0.01)], or [LeakyReLU] for PyTorch's default 0.01");

    public static readonly DiagnosticDescriptor WeightsPathNotRelative = Error(
        "NG0022", "Weights must be the end of a file's path",
        "Weights = \"{0}\" cannot name an AdditionalFiles item: {1}; write the end of the item's path, folder and file names separated by '/', e.g. Weights = \"iris.safetensors.b64\"");

    public static readonly DiagnosticDescriptor WeightsFileNotFound = Error(
        "NG0023", "Weights file not found",
        "No AdditionalFiles item's path ends with \"{0}\", the Weights of network '{1}': add it to the project as <AdditionalFiles Include=\"{0}\" />{2}");

    public static readonly DiagnosticDescriptor WeightsFileAmbiguous = Error(
        "NG0024", "Weights path matches more than one file",
        "Weights = \"{0}\" of network '{1}' matches {2} AdditionalFiles items ({3}): write more of the path, enough that it ends only one of them");

    public static readonly DiagnosticDescriptor WeightsFileNotText = Error(
        "NG0025", "Weights file could not be read as text",
        "The compiler could not read '{0}', the Weights of network '{1}', as text (it says why: CS2015 for a binary file, CS2001 for a missing one); source generators are given text files only, so bake the safetensors file's base64 text instead: write it with Python's base64.b64encode(open(path, 'rb').read()) or 'base64 -w0 {2} > {2}.b64', add that as <AdditionalFiles Include=\"{2}.b64\" /> and write Weights = \"{2}.b64\"");

    public static readonly DiagnosticDescriptor WeightsFileNotBase64 = Error(
        "NG0026", "Weights file is not base64",
        "'{0}', the Weights of network '{1}', is not base64 text: {2}; it must be a safetensors file encoded as base64, which may be broken into lines");

    public static readonly DiagnosticDescriptor WeightsFileNotSafetensors = Error(
        "NG0027", "Weights file is not a valid safetensors file",
        "'{0}', the Weights of network '{1}', decodes from base64 to something that is not a valid safetensors file: {2}");

    public static readonly DiagnosticDescriptor WeightsDoNotFit = Error(
        "NG0028", "Weights do not fit the network",
        "'{0}', the Weights of network '{1}', does not fit its declaration: {2}");

    public static readonly DiagnosticDescriptor WeightsNotFinite = Error(
        "NG0029", "Baked weights must be finite",
        "'{0}', the Weights of network '{1}': {2}; baked weights must be finite numbers (NaN or an infinity in trained weights almost always means that training diverged)");

    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Error(
        "NG0030", "Networks need C# 8.0 or later",
        "Network '{0}' needs C# 8.0 or later for its generated code (nullable annotations, stackalloc in expressions), and this project compiles as C# {1}, the default for .NET Framework projects: set <LangVersion>8.0</LangVersion> or later in its project file");

    public static readonly DiagnosticDescriptor MemberClashesWithGenerated = Error(
        "NG0031", "Member clashes with a generated member",
        "The {0} of network '{1}' clashes with the {2} that NetGen generates in the class: rename yours (an overload with other parameter types is fine)");

    public static readonly DiagnosticDescriptor FileLocalNetwork = Error(
        "NG0032", "Network class must not be file-local",
        "Network class '{0}' is file-local ('file' on {1}), but NetGen adds its members in a generated file, and a file-local type cannot be extended from another file: remove 'file' (write 'internal' to keep it out of other assemblies)");

    public static readonly DiagnosticDescriptor GeneratorFailed = Error(
        "NG0033", "NetGen could not generate a network",
        "NetGen failed while generating network '{0}' ({1}: {2}); its code is missing, every other network is generated as usual. This is a bug in NetGen: please report it with the declaration");

    public static readonly DiagnosticDescriptor ClassNamedLikeGeneratedMember = Error(
        "NG0034", "Network class is named like a generated member",
        "Network class '{0}' has the name of a member that NetGen generates in it (its {1}), and C# does not let a member be named like its class: rename the class, e.g. '{0}Network'");

    public static readonly DiagnosticDescriptor SlopeOutOfRange = Error(
        "NG0035", "LeakyReLU slope must fit the element type",
        "[LeakyReLU({0})] is outside the range of float (about -3.4E+38 to 3.4E+38), the element type of network '{1}', so the slope would be infinite: write a slope within it, or compute in double with [Network(typeof(double))]");

    public static readonly DiagnosticDescriptor NetworkDerivesFromNetwork = Error(
        "NG0036", "A network cannot derive from another network",
        "Network class '{0}' derives from '{1}', which is a network too, but every network's generated members (Parameters, Forward, Backward, ...) are its own and would hide the base's: derive '{0}' from a class that is not a network, and hold the other network in a field to use both");

    public static readonly DiagnosticDescriptor MisspelledLayer = Warning(
        "NG0037", "Unknown attribute is close to a NetGen layer",
        "[{0}] is not a type the compiler knows (CS0246), and network '{1}' is built without it: did you mean [{2}]?");

    public static readonly DiagnosticDescriptor AttributeBetweenLayers = Warning(
        "NG0038", "Attribute between layers is not a layer",
        "[{0}] stands between the layers of network '{1}' but is not a NetGen layer, so the network is built without it: remove it or move it before the layers, or write one of NetGen's layers ({2})");

    public static readonly DiagnosticDescriptor WeightsOrderAmbiguous = Error(
        "NG0040", "Baked weights fit the network in more than one order",
        "'{0}', the Weights of network '{1}': {2}; {3}; or load the model's ONNX export at run time with LoadOnnxWeights instead of baking (an ONNX file carries its order)");

    public static readonly DiagnosticDescriptor WeightsModuleNamesWithoutWeights = Error(
        "NG0041", "WeightsModuleNames needs Weights",
        "WeightsModuleNames names the modules of a baked weights file, but this [Network] has no Weights: add Weights = \"<file>.safetensors.b64\", or remove WeightsModuleNames");

    public static readonly DiagnosticDescriptor WeightsModuleNamesDoNotFit = Error(
        "NG0042", "WeightsModuleNames must name one module per layer with parameters",
        "WeightsModuleNames must name the module of each layer with parameters (each Linear), in order, each once: {0}");

    public static readonly DiagnosticDescriptor WeightsModuleNameNotInFile = Error(
        "NG0043", "WeightsModuleNames names a module the file does not have",
        "'{0}', the Weights of network '{1}': {2}");

    public static readonly DiagnosticDescriptor LayerArgumentsNotRead = Error(
        "NG0045", "Layer arguments not understood",
        "NetGen cannot read the arguments of [{0}]: {1}; write the attribute as one of its constructors takes it");

    // ---- Shapes and convolutions (issue 17): NG0050-NG0064 ----

    public static readonly DiagnosticDescriptor InputNotFirst = Error(
        "NG0050", "Input must come first, once",
        "[{0}] states the network's input, so it must come before every layer, once: {1}");

    public static readonly DiagnosticDescriptor NonPositiveInputSize = Error(
        "NG0051", "Input sizes must be positive",
        "[{0}] needs every size to be at least 1: write the sample's channels, length or height and width");

    public static readonly DiagnosticDescriptor ChannelMismatch = Error(
        "NG0052", "Channels do not match the shape flowing in",
        "[{0}] takes {1} channels, but {2} flows into it from {3}, which has {4}: write [{5}]");

    public static readonly DiagnosticDescriptor FlatInputNeeded = Error(
        "NG0053", "Layer needs a flat input",
        "[{0}] takes a flat sample, but {1} flows into it from {2}: put [Flatten] (or [GlobalAvgPool]) before it");

    public static readonly DiagnosticDescriptor WrongRank = Error(
        "NG0054", "Layer needs a shape of another rank",
        "[{0}] takes {1}, but {2} flows into it from {3}{4}");

    public static readonly DiagnosticDescriptor KernelLargerThanInput = Error(
        "NG0055", "Kernel larger than the padded input",
        "[{0}] has a window of {1} positions, but {2} flows into it from {3}, {4} positions padded: the output would have size 0; use a smaller kernel or dilation, or more padding");

    public static readonly DiagnosticDescriptor GroupsDoNotDivideChannels = Error(
        "NG0056", "Groups must divide the channels",
        "[{0}] has {1} groups, which must divide both its {2} input and {3} output channels");

    public static readonly DiagnosticDescriptor ShapeArgumentOutOfRange = Error(
        "NG0057", "Convolution or pool arguments out of range",
        "[{0}] needs {1}");

    public static readonly DiagnosticDescriptor PoolPaddingTooLarge = Error(
        "NG0058", "Pool padding larger than half the kernel",
        "[{0}] pads by {1}, more than half its kernel of {2}, which PyTorch refuses too: use Padding = {3} or less");

    public static readonly DiagnosticDescriptor InputShapeMissing = Error(
        "NG0059", "Shape layers need an Input",
        "[{0}] works on (channels, length) or (channels, height, width) samples, but nothing states the sample's shape: put [Input(...)] first, e.g. [Input({1})]");
    public static readonly DiagnosticDescriptor EndResidualWithoutResidual = Error(
        "NG0080", "EndResidual closes no block",
        "[EndResidual] closes no residual block: no [Residual] before it is still open; add [Residual] where the block starts, or remove this [EndResidual]");

    public static readonly DiagnosticDescriptor ResidualNeverClosed = Error(
        "NG0081", "Residual block never closed",
        "[Residual] opens a block that no [EndResidual] closes: add [EndResidual] after the block's last layer");

    public static readonly DiagnosticDescriptor ResidualChangesShape = Error(
        "NG0082", "A residual block must keep the shape",
        "The residual block closed here takes {0} and makes {1} (from {2}): y = x + f(x) adds the block's input to its output, so its layers must keep the shape");

    public static readonly DiagnosticDescriptor EmptyResidual = Error(
        "NG0083", "A residual block needs a layer",
        "[Residual] is closed by the next [EndResidual] with no layer between them, which would only double the values: put the block's layers between them, or remove both");

    public static readonly DiagnosticDescriptor NormFeaturesMismatch = Error(
        "NG0084", "Normalisation features do not match what flows in",
        "[{0}] normalises {1}, but {2} flows into it from {3}: write [{4}]");

    public static readonly DiagnosticDescriptor DropoutOutOfRange = Error(
        "NG0085", "Dropout probability outside [0, 1)",
        "[Dropout({0})] drops each value with probability p, which must be at least 0 and below 1 (p = 1 would drop everything and scale by 1/0)");

    // ---- Sequences (issue 18): NG0065-NG0079 ----

    public static readonly DiagnosticDescriptor RecurrentWidthMismatch = Error(
        "NG0065", "Recurrent layer inputs do not match the width flowing in",
        "[{0}] takes {1} values per step, but {2} values flow into it from {3}: write [{4}]");

    public static readonly DiagnosticDescriptor RecurrentAfterShapedLayer = Error(
        "NG0066", "A recurrent layer takes a flat step",
        "[{0}] takes {1} features per step, but {2} has shape {3}: add [Flatten] or [GlobalAvgPool] before it, so that each step is a flat vector");

    public static readonly DiagnosticDescriptor RecurrentTooLarge = Error(
        "NG0067", "Recurrent layer too large",
        "[{0}] has {1} x {2} = {3} rows of gates of {4} + {2} values each, past the {5} values an array may hold: use fewer hidden values");

    public static readonly DiagnosticDescriptor SequenceWithSpatialLayer = Error(
        "NG0068", "Convolutions and pools are not in sequence networks yet",
        "[{0}] cannot run in a sequence network yet ([{1}] makes this one): its steps run through per-sample kernels that convolutions and pools do not have; move the convolution into a network of its own and feed its outputs in as each step's input");

    public static readonly DiagnosticDescriptor SequenceWithBlockLayer = Error(
        "NG0069", "Residual blocks, normalisation and dropout are not in sequence networks yet",
        "[{0}] cannot run in a sequence network yet ([{1}] makes this one): its sequence passes do not keep per-step statistics, dropout masks or a block's input, nor switch between training and evaluation; use it in a network without recurrent layers");

    /// <summary>
    /// Every descriptor above, in id order: what the README and release-tracking tests check against.
    /// A descriptor missing here fails the test that compares this list with the fields.
    /// </summary>
    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        NotPartial, Generic, ContainingTypeNotPartial, UnsupportedElementType, NoLinearLayer, NonPositiveSize, WidthMismatch,
        LossNotLast, LossWithoutSoftmax, TooManyParameters, NotAClass, StaticClass, WorkspaceTooLarge,
        NotANetGenLayer, LayersOnAnotherDeclaration, LayersWithoutNetwork, SecondLoss, FullUnrollDeclined, NonFiniteSlope,
        WeightsPathNotRelative, WeightsFileNotFound, WeightsFileAmbiguous, WeightsFileNotText, WeightsFileNotBase64, WeightsFileNotSafetensors,
        WeightsDoNotFit, WeightsNotFinite, LanguageVersionTooOld, MemberClashesWithGenerated, FileLocalNetwork, GeneratorFailed,
        ClassNamedLikeGeneratedMember, SlopeOutOfRange, NetworkDerivesFromNetwork, MisspelledLayer, AttributeBetweenLayers,
        WeightsOrderAmbiguous, WeightsModuleNamesWithoutWeights, WeightsModuleNamesDoNotFit, WeightsModuleNameNotInFile, LayerArgumentsNotRead,
        InputNotFirst, NonPositiveInputSize, ChannelMismatch, FlatInputNeeded, WrongRank, KernelLargerThanInput, GroupsDoNotDivideChannels,
        ShapeArgumentOutOfRange, PoolPaddingTooLarge, InputShapeMissing,
        RecurrentWidthMismatch, RecurrentAfterShapedLayer, RecurrentTooLarge, SequenceWithSpatialLayer, SequenceWithBlockLayer,
        EndResidualWithoutResidual, ResidualNeverClosed, ResidualChangesShape, EmptyResidual, NormFeaturesMismatch, DropoutOutOfRange);
}
