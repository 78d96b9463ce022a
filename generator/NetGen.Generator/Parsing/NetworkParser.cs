using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emission.Layers;
using NetGen.Generator.Emission.Losses;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Weights;

namespace NetGen.Generator.Parsing;

/// <summary>
/// The outcome of parsing one declaration: a spec when it is valid, every problem found, and for a network
/// with Weights where its later diagnostics point (the argument), kept out of the spec so that the spec
/// still compares equal when the file's text moves.
/// </summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, SourceAnchor? WeightsAnchor = null, SourceAnchor? ModuleNamesAnchor = null);

/// <summary>
/// Turns a class declaration carrying <c>[Network]</c> into a <see cref="NetworkSpec"/>, checking every
/// rule of the contract and reporting each broken one (not just the first), so that one build shows
/// the user everything to fix.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";

    /// <summary>
    /// Metadata names of every NetGen layer and loss attribute: what the checks for stray layer
    /// attributes (StrayAttributeChecks, MissingNetworkCheck, and the generator's NG0016 pipeline) take
    /// as NetGen's own. The one place to change when the layer catalogue supplies the names.
    /// </summary>
    public static readonly IReadOnlyCollection<string> LayerAttributeNames =
        LayerCatalog.All.Select(d => d.AttributeMetadataName).Concat(LossCatalog.All.Select(d => d.AttributeMetadataName)).ToArray();

    /// <summary>The longest array .NET allocates (Array.MaxLength), which bounds Parameters.</summary>
    public const long MaxParameterCount = NetworkPlan.MaxArrayLength;

    /// <summary>The same bound on one sample's training workspace, an array of the element type too.</summary>
    public const long MaxWorkspacePerSample = NetworkPlan.MaxArrayLength;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();
        if (declaration.Identifier.IsMissing)
        {
            // A half-typed declaration with no name yet: the compiler reports it, and a class without
            // a name cannot be completed by a generated part.
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        if (StrayAttributeChecks.HasNetworkOnSeveralDeclarations(type))
        {
            // The compiler reports the second [Network] (CS0579). Which declaration's layers were
            // meant is a guess, and each declaration's parse would emit the same file.
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        CheckDeclaration(declaration, type, diagnostics);
        cancellationToken.ThrowIfCancellationRequested();

        AttributeData networkAttribute = context.Attributes[0];
        SyntaxNode networkSyntax = networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) ?? declaration.Identifier.Parent!;
        CheckLanguageVersion(declaration, type, networkSyntax, diagnostics);
        ElementType? elementType = ReadElementType(networkAttribute, networkSyntax, diagnostics);
        bool fullUnroll = networkAttribute.NamedArguments.Any(a => a.Key == "FullUnroll" && a.Value.Value is true);
        bool deterministic = networkAttribute.NamedArguments.Any(a => a.Key == "Deterministic" && a.Value.Value is true);
        (string? weights, SourceAnchor? weightsAnchor) = ReadWeights(networkAttribute, networkSyntax, diagnostics);
        (List<StringValue> moduleNames, SourceAnchor? moduleNamesAnchor) = WeightsModuleNamesRule.Read(networkAttribute, networkSyntax, hasWeights: weights is not null, diagnostics);

        StrayAttributeChecks.Check(declaration, type, LayerAttributeNames, diagnostics, cancellationToken);
        List<DeclaredLayer>? declared = ReadLayers(declaration, type, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (declared is null)
        {
            // A layer attribute the compiler already rejects (bad arguments, unresolved type): its error
            // says what is wrong, and guessing the layer would only add noise.
            return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        (List<LayerSpec> layers, LossSpec? loss) = CheckLayers(type.Name, networkSyntax, elementType, fullUnroll, declared, diagnostics);
        WeightsModuleNamesRule.CheckCount(moduleNames, moduleNamesAnchor, layers, diagnostics);

        // Warnings (NG0020) still let the network generate; any error stops it.
        if (diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error) || elementType is null)
        {
            return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        var spec = new NetworkSpec(
            Namespace: type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(NamespaceFormat),
            ContainingTypes: new EquatableArray<ContainingTypeSpec>(ContainingTypes(declaration)),
            ClassName: EscapedIdentifier(type.Name),
            Accessibility: SyntaxFacts.GetText(type.DeclaredAccessibility),
            FullyQualifiedMetadataName: MetadataName(type),
            ElementType: elementType.Value,
            FullUnroll: fullUnroll,
            Layers: new EquatableArray<LayerSpec>(layers),
            Loss: loss,
            Deterministic: deterministic,
            Weights: weights,
            WeightsModuleNames: new EquatableArray<StringValue>(moduleNames));

        // Last, since it needs the spec: it emits the code to learn the generated member names.
        var clashes = new List<DiagnosticInfo>();
        GeneratedNameCheck.CheckClassName(spec, type, declaration, clashes, cancellationToken);
        GeneratedNameCheck.Check(spec, type, clashes, cancellationToken);
        if (clashes.Count > 0)
        {
            return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics.Concat(clashes).ToList()));
        }

        return new ParseResult(spec, new EquatableArray<DiagnosticInfo>(diagnostics), weightsAnchor, moduleNamesAnchor);
    }

    /// <summary>
    /// The generated code is C# 8 (nullable annotations, stackalloc inside a conditional). .NET Framework
    /// projects compile as C# 7.3 unless told otherwise, and without this check the user would see the
    /// compiler's errors inside a generated file rather than one error on their own declaration.
    /// </summary>
    private static void CheckLanguageVersion(TypeDeclarationSyntax declaration, INamedTypeSymbol type, SyntaxNode networkSyntax, List<DiagnosticInfo> diagnostics)
    {
        if (declaration.SyntaxTree.Options is CSharpParseOptions options && options.LanguageVersion < LanguageVersion.CSharp8)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LanguageVersionTooOld, networkSyntax, type.Name, options.LanguageVersion.ToDisplayString()));
        }
    }

    private static void CheckDeclaration(TypeDeclarationSyntax declaration, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        if (declaration is not ClassDeclarationSyntax)
        {
            string kind = declaration is RecordDeclarationSyntax ? "record" : declaration.Keyword.ValueText;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAClass, declaration.Identifier, type.Name, kind));
        }
        if (declaration.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticClass, declaration.Identifier, type.Name));
        }
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, declaration.Identifier, type.Name));
        }
        if (type.IsGenericType || ContainingTypeSymbols(type).Any(t => t.IsGenericType))
        {
            SyntaxNode where = (SyntaxNode?)declaration.TypeParameterList ?? declaration;
            diagnostics.Add(declaration.TypeParameterList is null
                ? DiagnosticInfo.Create(DiagnosticDescriptors.Generic, declaration.Identifier, type.Name)
                : DiagnosticInfo.Create(DiagnosticDescriptors.Generic, where, type.Name));
        }
        CheckFileLocal(declaration, type, diagnostics);
        CheckBaseNetwork(declaration, type, diagnostics);
        foreach (TypeDeclarationSyntax container in declaration.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!container.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, container.Identifier, type.Name, container.Identifier.ValueText));
            }
        }
    }

    /// <summary>
    /// NG0032: a <c>file</c> class, or a class inside one. The generated part lives in a file of its own,
    /// and C# lets only the file that declares a file-local type extend it, so the part could never
    /// compile. (The check reads the modifier's text: the generator is built against a Roslyn that
    /// predates C# 11 and has no <c>SyntaxKind.FileKeyword</c>.)
    /// </summary>
    private static void CheckFileLocal(TypeDeclarationSyntax declaration, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        foreach (TypeDeclarationSyntax candidate in declaration.AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
        {
            if (candidate.Modifiers.Any(m => m.Text == "file"))
            {
                string where = candidate == declaration ? "the class itself" : "'" + candidate.Identifier.ValueText + "', which contains it";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FileLocalNetwork, declaration.Identifier, type.Name, where));
                return;
            }
        }
    }

    /// <summary>
    /// NG0036: a network class deriving from another network class, directly or further up. Each network's
    /// generated members are its own (the constants, Parameters, Forward...), so the derived class's would
    /// hide the base's (18 x CS0108) and one object would hold two networks' parameters; what a user wants
    /// there is composition, which the message says.
    /// </summary>
    private static void CheckBaseNetwork(TypeDeclarationSyntax declaration, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (!baseType.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName))
            {
                continue;
            }
            // Point at the base class in this declaration's base list when it names it there (first, as C#
            // requires), else at the class's name: the base list may be on another partial declaration.
            string direct = type.BaseType!.Name;
            BaseTypeSyntax? written = declaration.BaseList?.Types.FirstOrDefault();
            bool namesIt = written is not null && LastIdentifier(written.Type) == direct;
            string shown = baseType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            diagnostics.Add(namesIt
                ? DiagnosticInfo.Create(DiagnosticDescriptors.NetworkDerivesFromNetwork, written!, type.Name, shown)
                : DiagnosticInfo.Create(DiagnosticDescriptors.NetworkDerivesFromNetwork, declaration.Identifier, type.Name, shown));
            return;
        }
    }

    private static string LastIdentifier(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => type.ToString(),
    };

    private static IEnumerable<INamedTypeSymbol> ContainingTypeSymbols(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            yield return container;
        }
    }

    private static ElementType? ReadElementType(AttributeData attribute, SyntaxNode location, List<DiagnosticInfo> diagnostics)
    {
        if (attribute.ConstructorArguments.Length == 0)
        {
            return ElementType.Float;
        }
        TypedConstant argument = attribute.ConstructorArguments[0];
        if (argument.Value is ITypeSymbol { SpecialType: SpecialType.System_Single })
        {
            return ElementType.Float;
        }
        if (argument.Value is ITypeSymbol { SpecialType: SpecialType.System_Double })
        {
            return ElementType.Double;
        }
        string shown = argument.Value is ITypeSymbol other ? other.ToDisplayString() : "null";
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedElementType, location, shown));
        return null;
    }

    /// <summary>
    /// The <c>Weights</c> path, normalized by <see cref="WeightsPath"/>, and the argument's expression, where
    /// the file's diagnostics point; (null, null) without Weights (or with <c>Weights = null</c>). A path
    /// that cannot name a file's end is NG0022 here, before any file is looked at.
    /// </summary>
    private static (string? Weights, SourceAnchor? Anchor) ReadWeights(AttributeData attribute, SyntaxNode attributeSyntax, List<DiagnosticInfo> diagnostics)
    {
        string? written = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Weights").Value.Value as string;
        if (written is null)
        {
            return (null, null);
        }
        SyntaxNode where = (attributeSyntax as AttributeSyntax)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Weights")?.Expression ?? attributeSyntax;
        string? weights = WeightsPath.Normalize(written, out string? problem);
        if (weights is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsPathNotRelative, where, written, problem!));
            return (null, null);
        }
        return (weights, SourceAnchor.Of(where));
    }

    /// <summary>A layer or a loss as declared, with the syntax to point diagnostics at.</summary>
    private sealed record DeclaredLayer(LayerSpec? Layer, LossDefinition? Loss, AttributeSyntax Syntax)
    {
        public string Name => Layer is not null ? LayerCatalog.For(Layer.Kind).Name : Loss!.Name;
    }

    /// <summary>
    /// The layer attributes on this declaration, in source order: top to bottom, left to right within
    /// one attribute list. Null when one of them is malformed (the compiler reports that).
    /// </summary>
    private static List<DeclaredLayer>? ReadLayers(TypeDeclarationSyntax declaration, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        // Attribute data for this declaration only, keyed by where it is written: a partial class's
        // other declarations may carry attributes too, but the contract takes layers from this one.
        var bySpan = new Dictionary<Microsoft.CodeAnalysis.Text.TextSpan, AttributeData>();
        foreach (AttributeData data in type.GetAttributes())
        {
            SyntaxReference? reference = data.ApplicationSyntaxReference;
            if (reference is not null && reference.SyntaxTree == declaration.SyntaxTree)
            {
                bySpan[reference.Span] = data;
            }
        }

        var layers = new List<DeclaredLayer>();
        foreach (AttributeListSyntax list in declaration.AttributeLists)
        {
            foreach (AttributeSyntax syntax in list.Attributes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!bySpan.TryGetValue(syntax.Span, out AttributeData? data) || data.AttributeClass is null)
                {
                    continue;
                }
                string name = data.AttributeClass.ToDisplayString();
                if (LayerCatalog.TryGetByAttribute(name, out LayerDefinition? definition))
                {
                    LayerSpec? layer = data.AttributeConstructor is null ? null : definition.Read(data.ConstructorArguments);
                    if (layer is null)
                    {
                        return null;
                    }
                    layers.Add(new DeclaredLayer(layer, null, syntax));
                }
                else if (LossCatalog.TryGetByAttribute(name, out LossDefinition? loss))
                {
                    layers.Add(new DeclaredLayer(null, loss, syntax));
                }
            }
        }
        return layers;
    }

    /// <summary>
    /// Walks the layers as data flows through them, giving activations their widths and checking the
    /// contract's rules. Returns the layers with every width filled in, and the loss if there is one.
    /// </summary>
    private static (List<LayerSpec> Layers, LossSpec? Loss) CheckLayers(string className, SyntaxNode networkSyntax, ElementType? elementType, bool fullUnroll, List<DeclaredLayer> declared, List<DiagnosticInfo> diagnostics)
    {
        var layers = new List<LayerSpec>();
        LossSpec? loss = null;
        List<bool> isLoss = declared.Select(l => l.Loss is not null).ToList();
        int firstLoss = LossRule.CheckOneLoss(declared.Select(l => l.Loss is null ? null : l.Name).ToList(), declared.Select(l => (SyntaxNode)l.Syntax).ToList(), diagnostics);
        int firstLinear = declared.FindIndex(l => l.Layer is { IsLinear: true });
        if (firstLinear < 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLinearLayer, networkSyntax, className));
            return (layers, null);
        }

        int width = declared[firstLinear].Layer!.Inputs;
        string widthSource = "the network's input";
        long parameters = 0;
        bool reportedOverflow = false;
        var workspace = new WorkspaceTally(width);
        for (int index = 0; index < declared.Count; index++)
        {
            DeclaredLayer item = declared[index];
            AttributeSyntax syntax = item.Syntax;
            if (item.Loss is LossDefinition lossDefinition)
            {
                if (index != firstLoss)
                {
                    continue; // a second loss: NG0017 says so, and where it stands is beside the point
                }
                int follower = LossRule.FirstNonLossAfter(isLoss, index);
                if (follower >= 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossNotLast, syntax, declared[follower].Name, lossDefinition.Name));
                }
                LayerKind? required = lossDefinition.RequiredBefore;
                if (required is not null && (index == 0 || declared[index - 1].Layer?.Kind != required))
                {
                    string previous = index == 0 ? "nothing" : "[" + declared[index - 1].Name + "]";
                    string requiredName = LayerCatalog.For(required.Value).Name;
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossWithoutSoftmax, syntax, previous, lossDefinition.Name, requiredName));
                }
                loss ??= new LossSpec(lossDefinition.Kind, width);
                continue;
            }

            LayerSpec layer = item.Layer!;
            LayerDefinition definition = LayerCatalog.For(layer.Kind);
            if (definition.HasParameters)
            {
                if (layer.Inputs < 1 || layer.Outputs < 1)
                {
                    workspace.Abandon(); // its sizes are already an error; the sum would mean nothing
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, syntax, layer.Inputs, layer.Outputs));
                }
                else if (index != firstLinear && width >= 1 && layer.Inputs != width)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WidthMismatch, syntax, layer.Inputs, layer.Outputs, width, widthSource)
                        .WithProperty(DiagnosticDescriptors.ExpectedInputsProperty, width.ToString(CultureInfo.InvariantCulture)));
                }
                parameters += layer.ParameterCount;
                if (!reportedOverflow && layer.Inputs > 0 && layer.Outputs > 0 && parameters > MaxParameterCount)
                {
                    reportedOverflow = true;
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooManyParameters, syntax,
                        layer.Inputs, layer.Outputs, parameters.ToString("N0", CultureInfo.InvariantCulture), MaxParameterCount.ToString("N0", CultureInfo.InvariantCulture)));
                }
                if (fullUnroll && layer.Inputs > 0 && layer.Outputs > 0 && !LinearLayer.IsWrittenOut(layer, fullUnroll: true))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FullUnrollDeclined, syntax, layer.Inputs, layer.Outputs,
                        ((long)layer.Inputs * layer.Outputs).ToString("N0", CultureInfo.InvariantCulture), LinearLayer.FullUnrollLimitWeights.ToString("N0", CultureInfo.InvariantCulture)));
                }
            }
            if (layer.Kind == LayerKind.LeakyReLU && (double.IsNaN(layer.Slope) || double.IsInfinity(layer.Slope)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonFiniteSlope, syntax, layer.Slope.ToString("R", CultureInfo.InvariantCulture)));
            }
            else if (layer.Kind == LayerKind.LeakyReLU && elementType == ElementType.Float && float.IsInfinity((float)layer.Slope))
            {
                // Finite as the attribute's double, infinite as the network's float: the literal written
                // into the generated code would not compile (CS0594), and no slope of float is meant.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SlopeOutOfRange, syntax, layer.Slope.ToString("R", CultureInfo.InvariantCulture), className));
            }
            layer = definition.WithInputWidth(layer, width);
            layers.Add(layer);
            width = layer.Outputs;
            if (definition.HasParameters)
            {
                widthSource = "[" + definition.DisplayText(layer) + "]";
            }
            if (workspace.Add(layer.Outputs))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WorkspaceTooLarge, syntax,
                    definition.DisplayText(layer), workspace.PerSample.ToString("N0", CultureInfo.InvariantCulture), MaxWorkspacePerSample.ToString("N0", CultureInfo.InvariantCulture)));
            }
        }
        return (layers, loss);
    }

    /// <summary>
    /// One sample's training workspace as the layers add to it: the input (transposed for the batch
    /// kernels) and every activation are kept for backpropagation, and four buffers (two deltas, two
    /// sample-major copies) are as wide as the widest activation, the input included (what
    /// NetworkPlan.WorkspacePerSample computes). Past the longest array no batch could
    /// train, and the emitted int offsets into the workspace would overflow, so it is an error.
    /// </summary>
    private sealed class WorkspaceTally
    {
        private long _activations;
        private long _widest;
        private bool _done;

        public WorkspaceTally(int inputWidth)
        {
            _widest = System.Math.Max(0, inputWidth);
            _activations = _widest;
        }

        public long PerSample => NetworkPlan.WorkspaceFormula(_activations, _widest);

        /// <summary>Stops counting, for a network whose sizes are already wrong.</summary>
        public void Abandon() => _done = true;

        /// <summary>Adds a layer's output width; true, once, when the workspace first grows past the bound.</summary>
        public bool Add(int width)
        {
            if (_done)
            {
                return false;
            }
            _activations += width;
            _widest = System.Math.Max(_widest, width);
            _done = PerSample > MaxWorkspacePerSample;
            return _done;
        }
    }

    private static IEnumerable<ContainingTypeSpec> ContainingTypes(TypeDeclarationSyntax declaration)
    {
        var containers = declaration.Ancestors().OfType<TypeDeclarationSyntax>().Reverse();
        foreach (TypeDeclarationSyntax container in containers)
        {
            string keyword = container is RecordDeclarationSyntax record
                ? (record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record")
                : container.Keyword.ValueText;
            yield return new ContainingTypeSpec(keyword, EscapedIdentifier(container.Identifier.ValueText));
        }
    }

    /// <summary>A namespace as C# source spells it: dotted, with keywords escaped (<c>namespace App.@event</c>).</summary>
    private static readonly SymbolDisplayFormat NamespaceFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>
    /// A namespace as metadata names it, keywords unescaped: it goes into the hint name, where Roslyn
    /// rejects '@' (the default display format would write <c>@event</c>).
    /// </summary>
    private static readonly SymbolDisplayFormat MetadataNamespaceFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces);

    /// <summary>
    /// A name as C# source must spell it: a class may be called <c>@class</c>, and the emitter writes
    /// the names back into code, where the bare keyword would not parse.
    /// </summary>
    private static string EscapedIdentifier(string name)
        => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    private static string MetadataName(INamedTypeSymbol type)
    {
        var parts = new Stack<string>();
        parts.Push(type.MetadataName);
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            parts.Push(container.MetadataName + "+");
        }
        string typePath = string.Concat(parts);
        return type.ContainingNamespace.IsGlobalNamespace ? typePath : type.ContainingNamespace.ToDisplayString(MetadataNamespaceFormat) + "." + typePath;
    }
}
